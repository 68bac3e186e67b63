package redisclient

// This file is part of the client layer's command set: the hand-written
// reply types of the vector set commands whose RESP2 and RESP3 forms differ
// in structure, with decoders that accept both: VEMB RAW and VSIM with
// scores or attributes.

import (
	"strconv"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport/resp"
)

// VEmbRaw is the reply of VEMB ... RAW: the vector as stored.
type VEmbRaw struct {
	// Quantization is "fp32", "bin" or "q8".
	Quantization string
	// Blob holds the raw data: little-endian float32s for fp32, a bitmap
	// for bin, a byte per component for q8.
	Blob []byte
	// Norm is the L2 norm of the vector before normalization.
	Norm float64
	// Range is the quantization range (q8 only): multiply it by the
	// integer components to recover normalized values.
	Range float64
}

func decodeVEmbRaw(v resp.Value) (VEmbRaw, error) {
	var r VEmbRaw
	x, err := cmdimpl.TupleStart(v, 3)
	if err != nil {
		return r, err
	}
	if r.Quantization, err = cmdimpl.DecodeString(x); err != nil {
		return r, cmdimpl.At(err, "quantization")
	}
	x = x.Next()
	if !cmdimpl.IsStringKind(x.Kind()) {
		return r, cmdimpl.At(cmdimpl.Unexpected(x, "blob"), "blob")
	}
	r.Blob = append([]byte{}, x.Bytes()...)
	x = x.Next()
	if r.Norm, err = cmdimpl.DecodeFloat(x); err != nil {
		return r, cmdimpl.At(err, "norm")
	}
	if x = x.Next(); x.Valid() {
		if r.Range, err = cmdimpl.DecodeFloat(x); err != nil {
			return r, cmdimpl.At(err, "range")
		}
	}
	return r, nil
}

// VSimMatch is one element found by VSIM. Score is set with WITHSCORES,
// Attributes with WITHATTRIBS ("" for an element without attributes).
type VSimMatch struct {
	Element    string
	Score      float64
	Attributes string
}

// VSimScores is the reply of VSIM ... WITHSCORES, most similar first.
type VSimScores = []VSimMatch

// VSimAttribs is the reply of VSIM ... WITHATTRIBS, most similar first.
type VSimAttribs = []VSimMatch

// VSimScoresAttribs is the reply of VSIM ... WITHSCORES WITHATTRIBS, most
// similar first.
type VSimScoresAttribs = []VSimMatch

// decodeVSim decodes the matches of VSIM with scores, attributes or both:
// a RESP3 map of element to score, attributes or [score, attributes], or
// a RESP2 flat list of element followed by score and/or attributes.
func decodeVSim(v resp.Value, scores, attribs bool) ([]VSimMatch, error) {
	per := 1
	if scores {
		per++
	}
	if attribs {
		per++
	}
	// fill decodes the score and/or attributes starting at x.
	fill := func(m *VSimMatch, x resp.Value) error {
		var err error
		if scores {
			if m.Score, err = cmdimpl.DecodeFloat(x); err != nil {
				return cmdimpl.At(err, "score")
			}
			x = x.Next()
		}
		if attribs {
			if m.Attributes, err = cmdimpl.DecodeStringNullEmpty(x); err != nil {
				return cmdimpl.At(err, "attributes")
			}
		}
		return nil
	}
	out := []VSimMatch{}
	switch v.Kind() {
	case resp.KindNull:
		return out, nil
	case resp.KindMap:
		for k := v.First(); k.Valid(); k = k.Next().Next() {
			m := VSimMatch{}
			var err error
			if m.Element, err = cmdimpl.DecodeString(k); err != nil {
				return out, err
			}
			x := k.Next()
			if per == 3 {
				if x, err = cmdimpl.TupleStart(x, 2); err != nil {
					return out, cmdimpl.At(err, m.Element)
				}
			}
			if err := fill(&m, x); err != nil {
				return out, cmdimpl.At(err, m.Element)
			}
			out = append(out, m)
		}
		return out, nil
	case resp.KindArray:
		if v.Len()%per != 0 {
			return out, cmdimpl.Unexpected(v, "flat list of "+strconv.Itoa(per)+"-tuples")
		}
		for x, i := v.First(), 0; x.Valid(); i++ {
			m := VSimMatch{}
			var err error
			if m.Element, err = cmdimpl.DecodeString(x); err != nil {
				return out, cmdimpl.At(err, "["+strconv.Itoa(i)+"]")
			}
			if err := fill(&m, x.Next()); err != nil {
				return out, cmdimpl.At(err, "["+strconv.Itoa(i)+"]")
			}
			out = append(out, m)
			for range per {
				x = x.Next()
			}
		}
		return out, nil
	case resp.KindSimpleError, resp.KindBulkError:
		return out, v.Err()
	}
	return out, cmdimpl.Unexpected(v, "map or array")
}

func decodeVSimScores(v resp.Value) (VSimScores, error) { return decodeVSim(v, true, false) }

func decodeVSimAttribs(v resp.Value) (VSimAttribs, error) { return decodeVSim(v, false, true) }

func decodeVSimScoresAttribs(v resp.Value) (VSimScoresAttribs, error) {
	return decodeVSim(v, true, true)
}
