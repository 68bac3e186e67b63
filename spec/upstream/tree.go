package upstream

// This file holds the generic tree every input is read into before it is
// normalized: JSON files are decoded with their object keys kept in source
// order (reply schemas need the order of "properties"), and live server
// replies are taken as they come (maps or flat key/value arrays).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
)

// object is a JSON object or a RESP map with its keys in source order. Keys
// of a Go map, whose order is lost, are sorted.
type object struct {
	keys []string
	vals map[string]any
}

func (o *object) get(key string) (any, bool) {
	v, ok := o.vals[key]
	return v, ok
}

// decodeJSON decodes a whole JSON document into a tree of *object, []any,
// string, json.Number, bool and nil.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, fmt.Errorf("invalid JSON near byte %d: %w", dec.InputOffset(), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("invalid JSON near byte %d: data after the top-level value", dec.InputOffset())
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil // string, json.Number, bool or nil
	}
	switch d {
	case '{':
		o := &object{vals: map[string]any{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, ok := kt.(string)
			if !ok {
				return nil, fmt.Errorf("object key is not a string")
			}
			if _, dup := o.vals[k]; dup {
				return nil, fmt.Errorf("duplicate key %q", k)
			}
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			o.keys = append(o.keys, k)
			o.vals[k] = v
		}
		if _, err := dec.Token(); err != nil { // '}'
			return nil, err
		}
		return o, nil
	case '[':
		list := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		if _, err := dec.Token(); err != nil { // ']'
			return nil, err
		}
		return list, nil
	}
	return nil, fmt.Errorf("unexpected %v", d)
}

// typeName names the JSON (or RESP) type of a tree value for error messages.
func typeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string, []byte:
		return "a string"
	case json.Number:
		return "a number"
	case int, int64, int32, uint64, float64:
		return "a number"
	case bool:
		return "a boolean"
	case *object, map[string]any, map[any]any:
		return "an object"
	case []any:
		return "an array"
	default:
		return fmt.Sprintf("a %T", v)
	}
}

func asString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	}
	return "", false
}

func asInt(v any) (int64, bool) {
	switch v := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(v), 10, 64)
		return n, err == nil
	case int64:
		return v, true
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return int64(v), true
		}
	}
	return 0, false
}

func asBool(v any) (bool, bool) {
	b, ok := v.(bool)
	return b, ok
}

func asList(v any) ([]any, bool) {
	l, ok := v.([]any)
	return l, ok
}

// asObject returns v as an object. flat allows the RESP2 form of a map, a
// flat array of alternating keys and values, and Go maps (RESP3).
func asObject(v any, flat bool) (*object, bool) {
	switch v := v.(type) {
	case *object:
		return v, true
	case map[string]any:
		if !flat {
			return nil, false
		}
		o := &object{vals: make(map[string]any, len(v))}
		for k, x := range v {
			o.keys = append(o.keys, k)
			o.vals[k] = x
		}
		sort.Strings(o.keys)
		return o, true
	case map[any]any:
		if !flat {
			return nil, false
		}
		o := &object{vals: make(map[string]any, len(v))}
		for k, x := range v {
			ks, ok := asString(k)
			if !ok {
				return nil, false
			}
			o.keys = append(o.keys, ks)
			o.vals[ks] = x
		}
		sort.Strings(o.keys)
		return o, true
	case []any:
		if !flat || len(v)%2 != 0 {
			return nil, false
		}
		o := &object{vals: make(map[string]any, len(v)/2)}
		for i := 0; i < len(v); i += 2 {
			k, ok := asString(v[i])
			if !ok {
				return nil, false
			}
			if _, dup := o.vals[k]; dup {
				return nil, false
			}
			o.keys = append(o.keys, k)
			o.vals[k] = v[i+1]
		}
		return o, true
	}
	return nil, false
}
