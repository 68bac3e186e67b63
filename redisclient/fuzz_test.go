package redisclient

import (
	"bytes"
	"testing"

	"github.com/redkit-go/redkit/transport/resp"
)

// FuzzReplyDecoders feeds arbitrary replies to every decoder the commands
// use: a decoder may reject a reply with an error but must never panic.
func FuzzReplyDecoders(f *testing.F) {
	for _, seed := range []string{
		"+OK\r\n", "$5\r\nhello\r\n", "_\r\n", "$-1\r\n", ":42\r\n", ",3.5\r\n", "#t\r\n",
		"*2\r\n$1\r\na\r\n,1.5\r\n", "%1\r\n$1\r\nk\r\n$1\r\nv\r\n", "*4\r\n$1\r\nk\r\n$1\r\nv\r\n$1\r\nx\r\n:1\r\n",
		"*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
		"*3\r\n:0\r\n:5460\r\n*3\r\n$9\r\n127.0.0.1\r\n:7000\r\n$40\r\n0000000000000000000000000000000000000000\r\n",
		"*3\r\n$6\r\nmaster\r\n:10\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n6380\r\n$2\r\n10\r\n",
		"-ERR boom\r\n", "*1\r\n-ERR nested\r\n", "~2\r\n$1\r\na\r\n$1\r\nb\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r resp.Reply
		rd := resp.NewReader(bytes.NewReader(data), 0, resp.Limits{MaxBulkLen: 1 << 20})
		if err := rd.ReadReply(&r); err != nil {
			return
		}
		for _, dec := range allDecoders {
			_ = dec(r.Value())
		}
		for _, dec := range handwrittenDecoders {
			_ = dec(r.Value())
		}
	})
}

// handwrittenDecoders are the hand-written decoders, also those only used
// inside other types.
var handwrittenDecoders = []func(resp.Value) error{
	fuzzDecoder(decodeGeoLocation), fuzzDecoder(decodeConnectedClient), fuzzDecoder(decodeConnectedClients),
	fuzzDecoder(decodeClusterSlot), fuzzDecoder(decodeReplicationRole), fuzzDecoder(decodeLCSMatches),
	fuzzDecoder(decodeLCSRange),
}
