package json

// This file holds the hand-written reply types of the JSON module whose
// RESP2 and RESP3 forms differ: JSON.NUMINCRBY and its kin (JSON text in
// RESP2, an array in RESP3) and JSON.TYPE (an extra array level in RESP3).
// Both decode into the same Go value on either protocol.

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport/resp"
)

// JSONNumbers is the reply of JSON.NUMINCRBY, JSON.NUMMULTBY and
// JSON.NUMPOWBY: the new value at each path matched, not valid where the
// matched value is not a number. A legacy path gives one element.
type JSONNumbers []redisclient.Opt[float64]

// decodeJSONNumbers decodes an array of numbers and nulls (RESP3) or the
// JSON text of one (RESP2); legacy paths reply with a single number.
func decodeJSONNumbers(v resp.Value) (JSONNumbers, error) {
	switch k := v.Kind(); {
	case k == resp.KindArray:
		out, err := cmdimpl.DecodeSlice(v, func(x resp.Value) (redisclient.Opt[float64], error) { return cmdimpl.DecodeOpt(x, cmdimpl.DecodeFloat) })
		return JSONNumbers(out), err
	case k == resp.KindInteger, k == resp.KindDouble:
		f, err := cmdimpl.DecodeFloat(v)
		return JSONNumbers{{Value: f, Valid: true}}, err
	case cmdimpl.IsStringKind(k):
		return parseJSONNumbers(v)
	case k == resp.KindNull:
		return nil, nil
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return nil, cmdimpl.Unexpected(v, "numbers")
}

// parseJSONNumbers parses "[1,2.5,null]" or "3".
func parseJSONNumbers(v resp.Value) (JSONNumbers, error) {
	d := json.NewDecoder(bytes.NewReader(v.Bytes()))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return nil, cmdimpl.Unexpected(v, "JSON number or array of numbers")
	}
	num := func(e any) (redisclient.Opt[float64], bool) {
		switch n := e.(type) {
		case nil:
			return redisclient.Opt[float64]{}, true
		case json.Number:
			f, err := strconv.ParseFloat(string(n), 64)
			return redisclient.Opt[float64]{Value: f, Valid: true}, err == nil
		}
		return redisclient.Opt[float64]{}, false
	}
	if list, ok := x.([]any); ok {
		out := make(JSONNumbers, 0, len(list))
		for _, e := range list {
			n, ok := num(e)
			if !ok {
				return out, cmdimpl.Unexpected(v, "JSON array of numbers")
			}
			out = append(out, n)
		}
		return out, nil
	}
	n, ok := num(x)
	if !ok || !n.Valid {
		return nil, cmdimpl.Unexpected(v, "JSON number or array of numbers")
	}
	return JSONNumbers{n}, nil
}

// JSONTypes is the reply of JSON.TYPE: the type of the value at each path
// matched ("object", "array", "string", "integer", "number", "boolean",
// "null"). It is nil when the key does not exist. A legacy path gives one
// element.
type JSONTypes []string

// decodeJSONTypes decodes the type list (RESP2), the same list wrapped in
// an array (RESP3), or a single type (legacy paths).
func decodeJSONTypes(v resp.Value) (JSONTypes, error) {
	if first := v.First(); v.Kind() == resp.KindArray && v.Len() == 1 && (cmdimpl.IsAggregate(first.Kind()) || first.Kind() == resp.KindNull) {
		v = first // the RESP3 wrapper
	}
	switch k := v.Kind(); {
	case k == resp.KindNull:
		return nil, nil
	case cmdimpl.IsStringKind(k):
		return JSONTypes{v.Text()}, nil
	case k == resp.KindArray:
		out, err := cmdimpl.DecodeSlice(v, cmdimpl.DecodeString)
		return JSONTypes(out), err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return nil, cmdimpl.Unexpected(v, "JSON type list")
}
