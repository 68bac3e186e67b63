package redisclient

import (
	"testing"

	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
	"github.com/redkit-go/redkit/transport/resp"
)

// FuzzReplyDecoders feeds arbitrary replies to every decoder the commands
// use: a decoder may reject a reply with an error but must never panic.
func FuzzReplyDecoders(f *testing.F) { cmdtest.FuzzDecoders(f, allDecoders, handwrittenDecoders) }

// handwrittenDecoders are the hand-written decoders, also those only used
// inside other types.
var handwrittenDecoders = map[string]func(resp.Value) error{
	"decodeGeoLocation": cmdtest.FuzzDecoder(decodeGeoLocation), "decodeConnectedClient": cmdtest.FuzzDecoder(decodeConnectedClient), "decodeConnectedClients": cmdtest.FuzzDecoder(decodeConnectedClients),
	"decodeClusterSlot": cmdtest.FuzzDecoder(decodeClusterSlot), "decodeReplicationRole": cmdtest.FuzzDecoder(decodeReplicationRole), "decodeLCSMatches": cmdtest.FuzzDecoder(decodeLCSMatches),
	"decodeLCSRange": cmdtest.FuzzDecoder(decodeLCSRange),
}
