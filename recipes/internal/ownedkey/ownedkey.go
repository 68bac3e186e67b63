// Package ownedkey holds the compare-and-act scripts that the recipes share:
// a key holds its owner's random token, and only that owner may act on it
// (the lock recipe's release, the cache-aside recipe's giving up of a
// placeholder).
package ownedkey

import "github.com/redkit-go/redkit/redisclient"

// Delete deletes KEYS[1] if it holds the token ARGV[1]; it returns 1 if it
// did, 0 if the key holds something else or nothing.
var Delete = redisclient.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`, redisclient.DecodeInt)
