package timeseries

// This file is part of the time series package's command layer: the
// hand-written reply types whose RESP2 and RESP3 forms differ in structure,
// with decoders that accept both: samples, TS.INFO, TS.MGET and TS.MRANGE.

import (
	"strconv"
	"strings"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport/resp"
)

// TSSample is one time series sample.
type TSSample struct {
	// Timestamp is in Unix milliseconds.
	Timestamp int64
	Value     float64
}

// decodeTSSample decodes [timestamp, value]; the value is a bulk string in
// RESP2 and a double in RESP3.
func decodeTSSample(v resp.Value) (TSSample, error) {
	var s TSSample
	x, err := cmdimpl.TupleStart(v, 2)
	if err != nil {
		return s, err
	}
	if s.Timestamp, err = cmdimpl.DecodeInt(x); err != nil {
		return s, cmdimpl.At(err, "timestamp")
	}
	if s.Value, err = cmdimpl.DecodeFloat(x.Next()); err != nil {
		return s, cmdimpl.At(err, "value")
	}
	return s, nil
}

// TSMaybeSample is the latest sample of a time series; Valid is false for
// an empty series.
type TSMaybeSample = redisclient.Opt[TSSample]

// decodeTSMaybeSample decodes a sample, or an empty array (or null) for
// none.
func decodeTSMaybeSample(v resp.Value) (TSMaybeSample, error) {
	if v.Kind() == resp.KindNull || (v.Kind() == resp.KindArray && v.Len() == 0) {
		return TSMaybeSample{}, nil
	}
	s, err := decodeTSSample(v)
	if err != nil {
		return TSMaybeSample{}, err
	}
	return TSMaybeSample{Value: s, Valid: true}, nil
}

// decodeTSLabels decodes labels given as a RESP3 map, a list of
// [name, value] pairs or a flat list. A null value (a selected label the
// series does not have) reads as "".
func decodeTSLabels(v resp.Value) (map[string]string, error) {
	out := map[string]string{}
	if v.Kind() == resp.KindNull {
		return out, nil
	}
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		name, err := cmdimpl.DecodeString(k)
		if err != nil {
			return err
		}
		val, err := cmdimpl.DecodeStringNullEmpty(x)
		if err != nil {
			return err
		}
		out[name] = val
		return nil
	})
	return out, err
}

// TSInfoReply is the reply of TS.INFO.
type TSInfoReply struct {
	TotalSamples int64
	// MemoryUsage is in bytes.
	MemoryUsage int64
	// FirstTimestamp and LastTimestamp are in Unix milliseconds.
	FirstTimestamp, LastTimestamp int64
	// RetentionTime is in milliseconds; 0 keeps samples forever.
	RetentionTime int64
	ChunkCount    int64
	// ChunkSize is in bytes.
	ChunkSize int64
	// ChunkType is "compressed" or "uncompressed".
	ChunkType string
	// DuplicatePolicy is empty when the server default applies.
	DuplicatePolicy string
	Labels          map[string]string
	// SourceKey is the series this one is a compaction of, or "".
	SourceKey string
	// Rules are the compaction rules whose source is this series.
	Rules []TSRule
	// IgnoreMaxTimeDiff (milliseconds) and IgnoreMaxValDiff are the
	// IGNORE settings.
	IgnoreMaxTimeDiff int64
	IgnoreMaxValDiff  float64
	// KeySelfName and Chunks are reported with DEBUG.
	KeySelfName string
	Chunks      []TSChunk
}

// TSRule is a compaction rule.
type TSRule struct {
	DestKey string
	// BucketDuration is in milliseconds.
	BucketDuration int64
	Aggregator     string
	// AlignTimestamp is the bucket alignment.
	AlignTimestamp int64
}

// TSChunk describes one chunk of a series (TS.INFO DEBUG).
type TSChunk struct {
	StartTimestamp, EndTimestamp int64
	Samples                      int64
	// Size is in bytes.
	Size           int64
	BytesPerSample float64
}

func decodeTSChunk(v resp.Value) (TSChunk, error) {
	var c TSChunk
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		switch string(k.Bytes()) {
		case "startTimestamp":
			c.StartTimestamp, err = cmdimpl.DecodeInt(x)
		case "endTimestamp":
			c.EndTimestamp, err = cmdimpl.DecodeInt(x)
		case "samples":
			c.Samples, err = cmdimpl.DecodeInt(x)
		case "size":
			c.Size, err = cmdimpl.DecodeInt(x)
		case "bytesPerSample":
			c.BytesPerSample, err = cmdimpl.DecodeFloat(x)
		}
		return err
	})
	return c, err
}

// decodeTSRuleFrom decodes bucket duration, aggregator and alignment,
// starting at x; the alignment is missing on old servers.
func decodeTSRuleFrom(x resp.Value, r *TSRule) error {
	var err error
	if r.BucketDuration, err = cmdimpl.DecodeInt(x); err != nil {
		return cmdimpl.At(err, "bucketDuration")
	}
	x = x.Next()
	if r.Aggregator, err = cmdimpl.DecodeString(x); err != nil {
		return cmdimpl.At(err, "aggregator")
	}
	if x = x.Next(); x.Valid() {
		if r.AlignTimestamp, err = cmdimpl.DecodeInt(x); err != nil {
			return cmdimpl.At(err, "alignTimestamp")
		}
	}
	return nil
}

// decodeTSRules decodes the rules: a RESP3 map of destination key to
// [bucketDuration, aggregator, alignment], or a RESP2 list of
// [destKey, bucketDuration, aggregator, alignment].
func decodeTSRules(v resp.Value) ([]TSRule, error) {
	out := []TSRule{}
	switch v.Kind() {
	case resp.KindNull:
		return out, nil
	case resp.KindMap:
		for k := v.First(); k.Valid(); k = k.Next().Next() {
			r := TSRule{DestKey: k.Text()}
			x, err := cmdimpl.TupleStart(k.Next(), 2)
			if err == nil {
				err = decodeTSRuleFrom(x, &r)
			}
			if err != nil {
				return out, cmdimpl.At(err, r.DestKey)
			}
			out = append(out, r)
		}
		return out, nil
	}
	return cmdimpl.DecodeSlice(v, func(e resp.Value) (TSRule, error) {
		var r TSRule
		x, err := cmdimpl.TupleStart(e, 3)
		if err != nil {
			return r, err
		}
		if r.DestKey, err = cmdimpl.DecodeString(x); err != nil {
			return r, cmdimpl.At(err, "destKey")
		}
		return r, decodeTSRuleFrom(x.Next(), &r)
	})
}

func decodeTSInfoReply(v resp.Value) (TSInfoReply, error) {
	var r TSInfoReply
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		switch string(k.Bytes()) {
		case "totalSamples":
			r.TotalSamples, err = cmdimpl.DecodeInt(x)
		case "memoryUsage":
			r.MemoryUsage, err = cmdimpl.DecodeInt(x)
		case "firstTimestamp":
			r.FirstTimestamp, err = cmdimpl.DecodeInt(x)
		case "lastTimestamp":
			r.LastTimestamp, err = cmdimpl.DecodeInt(x)
		case "retentionTime":
			r.RetentionTime, err = cmdimpl.DecodeInt(x)
		case "chunkCount":
			r.ChunkCount, err = cmdimpl.DecodeInt(x)
		case "chunkSize":
			r.ChunkSize, err = cmdimpl.DecodeInt(x)
		case "chunkType":
			r.ChunkType, err = cmdimpl.DecodeString(x)
		case "duplicatePolicy":
			r.DuplicatePolicy, err = cmdimpl.DecodeStringNullEmpty(x)
		case "labels":
			r.Labels, err = decodeTSLabels(x)
		case "sourceKey":
			r.SourceKey, err = cmdimpl.DecodeStringNullEmpty(x)
		case "rules":
			r.Rules, err = decodeTSRules(x)
		case "ignoreMaxTimeDiff":
			r.IgnoreMaxTimeDiff, err = cmdimpl.DecodeInt(x)
		case "ignoreMaxValDiff":
			r.IgnoreMaxValDiff, err = cmdimpl.DecodeFloat(x)
		case "keySelfName":
			r.KeySelfName, err = cmdimpl.DecodeString(x)
		case "Chunks", "chunks":
			r.Chunks, err = cmdimpl.DecodeSlice(x, decodeTSChunk)
		}
		return err
	})
	return r, err
}

// TSMGetEntry is the latest sample of one series matched by TS.MGET.
type TSMGetEntry struct {
	Key string
	// Labels holds the labels asked for (WITHLABELS or SELECTED_LABELS);
	// a selected label the series lacks is "".
	Labels map[string]string
	// Sample is not Valid for an empty series.
	Sample TSMaybeSample
}

// TSMGetReply is the reply of TS.MGET, one entry per matching series.
type TSMGetReply []TSMGetEntry

// eachSeries calls f for every series of a TS.MGET or TS.MRANGE reply: a
// RESP3 map of key to [labels, ...], or a RESP2 list of [key, labels, ...].
// f gets the key and the first element after it.
func eachSeries(v resp.Value, f func(key string, first resp.Value) error) error {
	switch v.Kind() {
	case resp.KindNull:
		return nil
	case resp.KindMap:
		for k := v.First(); k.Valid(); k = k.Next().Next() {
			key, err := cmdimpl.DecodeString(k)
			if err != nil {
				return err
			}
			x, err := cmdimpl.TupleStart(k.Next(), 2)
			if err == nil {
				err = f(key, x)
			}
			if err != nil {
				return cmdimpl.At(err, key)
			}
		}
		return nil
	case resp.KindArray, resp.KindSet:
		i := 0
		for e := v.First(); e.Valid(); e = e.Next() {
			x, err := cmdimpl.TupleStart(e, 3)
			var key string
			if err == nil {
				key, err = cmdimpl.DecodeString(x)
			}
			if err == nil {
				err = f(key, x.Next())
			}
			if err != nil {
				return cmdimpl.At(err, "["+strconv.Itoa(i)+"]")
			}
			i++
		}
		return nil
	case resp.KindSimpleError, resp.KindBulkError:
		return v.Err()
	}
	return cmdimpl.Unexpected(v, "series map or list")
}

func decodeTSMGetReply(v resp.Value) (TSMGetReply, error) {
	out := TSMGetReply{}
	err := eachSeries(v, func(key string, x resp.Value) error {
		e := TSMGetEntry{Key: key}
		var err error
		if e.Labels, err = decodeTSLabels(x); err != nil {
			return cmdimpl.At(err, "labels")
		}
		if e.Sample, err = decodeTSMaybeSample(x.Next()); err != nil {
			return cmdimpl.At(err, "sample")
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// TSSeries is the samples of one series (or group) of TS.MRANGE.
type TSSeries struct {
	// Key is the series key, or "label=value" for a GROUPBY group.
	Key string
	// Labels holds the labels asked for (WITHLABELS or SELECTED_LABELS);
	// a selected label the series lacks is "".
	Labels map[string]string
	// Reducer and Sources describe a GROUPBY group: the reducer and the
	// keys of the grouped series. RESP2 servers report them with
	// WITHLABELS only.
	Reducer string
	Sources []string
	Samples []TSSample
}

// TSMRangeReply is the reply of TS.MRANGE and TS.MREVRANGE.
type TSMRangeReply []TSSeries

// decodeTSMetadata reads a RESP3 metadata map of a TS.MRANGE series.
func decodeTSMetadata(v resp.Value, s *TSSeries) error {
	return cmdimpl.EachPair(v, func(k, x resp.Value) error {
		switch string(k.Bytes()) {
		case "reducers":
			rs, err := cmdimpl.DecodeSlice(x, cmdimpl.DecodeString)
			if err == nil && len(rs) > 0 {
				s.Reducer = strings.Join(rs, ",")
			}
			return err
		case "sources":
			srcs, err := cmdimpl.DecodeSlice(x, cmdimpl.DecodeString)
			s.Sources = srcs
			return err
		}
		return nil
	})
}

func decodeTSMRangeReply(v resp.Value) (TSMRangeReply, error) {
	out := TSMRangeReply{}
	err := eachSeries(v, func(key string, x resp.Value) error {
		s := TSSeries{Key: key}
		var err error
		if s.Labels, err = decodeTSLabels(x); err != nil {
			return cmdimpl.At(err, "labels")
		}
		if r, ok := s.Labels["__reducer__"]; ok {
			s.Reducer = r
			delete(s.Labels, "__reducer__")
		}
		if src, ok := s.Labels["__source__"]; ok {
			if src != "" {
				s.Sources = strings.Split(src, ",")
			}
			delete(s.Labels, "__source__")
		}
		// RESP3 puts metadata maps between the labels and the samples.
		for x = x.Next(); x.Valid() && x.Next().Valid(); x = x.Next() {
			if err := decodeTSMetadata(x, &s); err != nil {
				return cmdimpl.At(err, "metadata")
			}
		}
		if s.Samples, err = cmdimpl.DecodeSlice(x, decodeTSSample); err != nil {
			return cmdimpl.At(err, "samples")
		}
		if s.Samples == nil {
			s.Samples = []TSSample{}
		}
		out = append(out, s)
		return nil
	})
	return out, err
}
