package probabilistic

// This file is part of the probabilistic package's command layer: the
// hand-written reply type of BF.INFO of one field, whose RESP2 and RESP3
// forms differ in structure.

import (
	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport/resp"
)

// BFInfoField is the value of the one BF.INFO field asked for.
type BFInfoField = int64

// decodeBFInfoField accepts a RESP2 singleton array, a RESP3 one-entry
// map, or a bare integer.
func decodeBFInfoField(v resp.Value) (BFInfoField, error) {
	switch v.Kind() {
	case resp.KindMap:
		if v.Len() != 1 {
			return 0, cmdimpl.Unexpected(v, "one-entry map")
		}
		return cmdimpl.DecodeInt(v.First().Next())
	case resp.KindArray:
		if v.Len() != 1 {
			return 0, cmdimpl.Unexpected(v, "singleton array")
		}
		return cmdimpl.DecodeInt(v.First())
	}
	return cmdimpl.DecodeInt(v)
}

// decodeItemsAsTopKItems decodes TOPK.LIST's reply without WITHCOUNT, a
// list of items, as TopKItems with Count 0. A With whose options leave
// WITHCOUNT out chooses it: the choice follows the options, never the
// reply (RESP2's WITHCOUNT reply, a flat list, looks like one of items).
func decodeItemsAsTopKItems(v resp.Value) ([]TopKItem, error) {
	return cmdimpl.DecodeSlice(v, func(x resp.Value) (TopKItem, error) {
		s, err := cmdimpl.DecodeString(x)
		return TopKItem{Item: s}, err
	})
}
