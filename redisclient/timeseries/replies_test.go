package timeseries

// This file tests the hand-written decoders of replies.go on RESP2 and
// RESP3 fixtures.

import (
	"math"
	"testing"

	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
)

func TestDecodeTSSample(t *testing.T) {
	want := TSSample{Timestamp: 1000, Value: 1.5}
	cmdtest.CheckDecode(t, "resp2", cmdtest.Arr(cmdtest.Int(1000), cmdtest.Simple("1.5")), decodeTSSample, want)
	cmdtest.CheckDecode(t, "resp3", cmdtest.Arr(cmdtest.Int(1000), cmdtest.Dbl("1.5")), decodeTSSample, want)
	cmdtest.CheckDecodeErr(t, "short", cmdtest.Arr(cmdtest.Int(1000)), decodeTSSample)
	cmdtest.CheckDecodeErr(t, "bad value", cmdtest.Arr(cmdtest.Int(1000), cmdtest.Bulk("x")), decodeTSSample)
	cmdtest.CheckDecodeErr(t, "bad timestamp", cmdtest.Arr(cmdtest.Bulk("t"), cmdtest.Dbl("1")), decodeTSSample)
	cmdtest.CheckDecodeErr(t, "scalar", cmdtest.Int(3), decodeTSSample)

	r := cmdtest.ReadFixture(t, cmdtest.Arr(cmdtest.Int(5), cmdtest.Dbl("nan")))
	s, err := decodeTSSample(r.Value())
	if err != nil || s.Timestamp != 5 || !math.IsNaN(s.Value) {
		t.Errorf("NaN sample: got %+v, %v", s, err)
	}
}

func TestDecodeTSMaybeSample(t *testing.T) {
	want := TSMaybeSample{Value: TSSample{Timestamp: 7, Value: 2}, Valid: true}
	cmdtest.CheckDecode(t, "resp2", cmdtest.Arr(cmdtest.Int(7), cmdtest.Bulk("2")), decodeTSMaybeSample, want)
	cmdtest.CheckDecode(t, "resp3", cmdtest.Arr(cmdtest.Int(7), cmdtest.Dbl("2")), decodeTSMaybeSample, want)
	cmdtest.CheckDecode(t, "empty", cmdtest.Arr(), decodeTSMaybeSample, TSMaybeSample{})
	cmdtest.CheckDecode(t, "null", cmdtest.Null3, decodeTSMaybeSample, TSMaybeSample{})
	cmdtest.CheckDecodeErr(t, "error", cmdtest.Err("ERR DB: the key does not exist"), decodeTSMaybeSample)
	cmdtest.CheckDecodeErr(t, "short", cmdtest.Arr(cmdtest.Int(7)), decodeTSMaybeSample)
}

func TestDecodeTSInfoReply(t *testing.T) {
	want := TSInfoReply{
		TotalSamples: 3, MemoryUsage: 4184, FirstTimestamp: 100, LastTimestamp: 300,
		RetentionTime: 0, ChunkCount: 1, ChunkSize: 4096, ChunkType: "compressed",
		Labels:    map[string]string{"type": "temp", "room": "1"},
		Rules:     []TSRule{{DestKey: "t:avg", BucketDuration: 60000, Aggregator: "AVG", AlignTimestamp: 0}},
		SourceKey: "", DuplicatePolicy: "", IgnoreMaxTimeDiff: 10, IgnoreMaxValDiff: 0.5,
		KeySelfName: "t",
		Chunks:      []TSChunk{{StartTimestamp: 100, EndTimestamp: 300, Samples: 3, Size: 4096, BytesPerSample: 1365.33}},
	}
	resp2 := cmdtest.Arr(
		cmdtest.Simple("totalSamples"), cmdtest.Int(3), cmdtest.Simple("memoryUsage"), cmdtest.Int(4184),
		cmdtest.Simple("firstTimestamp"), cmdtest.Int(100), cmdtest.Simple("lastTimestamp"), cmdtest.Int(300),
		cmdtest.Simple("retentionTime"), cmdtest.Int(0), cmdtest.Simple("chunkCount"), cmdtest.Int(1),
		cmdtest.Simple("chunkSize"), cmdtest.Int(4096), cmdtest.Simple("chunkType"), cmdtest.Simple("compressed"),
		cmdtest.Simple("duplicatePolicy"), cmdtest.Null2,
		cmdtest.Simple("labels"), cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("type"), cmdtest.Bulk("temp")), cmdtest.Arr(cmdtest.Bulk("room"), cmdtest.Bulk("1"))),
		cmdtest.Simple("sourceKey"), cmdtest.Null2,
		cmdtest.Simple("rules"), cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("t:avg"), cmdtest.Int(60000), cmdtest.Simple("AVG"), cmdtest.Int(0))),
		cmdtest.Simple("ignoreMaxTimeDiff"), cmdtest.Int(10), cmdtest.Simple("ignoreMaxValDiff"), cmdtest.Bulk("0.5"),
		cmdtest.Simple("keySelfName"), cmdtest.Bulk("t"),
		cmdtest.Simple("Chunks"), cmdtest.Arr(cmdtest.Arr(
			cmdtest.Simple("startTimestamp"), cmdtest.Int(100), cmdtest.Simple("endTimestamp"), cmdtest.Int(300),
			cmdtest.Simple("samples"), cmdtest.Int(3), cmdtest.Simple("size"), cmdtest.Int(4096), cmdtest.Simple("bytesPerSample"), cmdtest.Bulk("1365.33"))),
	)
	resp3 := cmdtest.Map(
		cmdtest.Simple("totalSamples"), cmdtest.Int(3), cmdtest.Simple("memoryUsage"), cmdtest.Int(4184),
		cmdtest.Simple("firstTimestamp"), cmdtest.Int(100), cmdtest.Simple("lastTimestamp"), cmdtest.Int(300),
		cmdtest.Simple("retentionTime"), cmdtest.Int(0), cmdtest.Simple("chunkCount"), cmdtest.Int(1),
		cmdtest.Simple("chunkSize"), cmdtest.Int(4096), cmdtest.Simple("chunkType"), cmdtest.Simple("compressed"),
		cmdtest.Simple("duplicatePolicy"), cmdtest.Null3,
		cmdtest.Simple("labels"), cmdtest.Map(cmdtest.Bulk("type"), cmdtest.Bulk("temp"), cmdtest.Bulk("room"), cmdtest.Bulk("1")),
		cmdtest.Simple("sourceKey"), cmdtest.Null3,
		cmdtest.Simple("rules"), cmdtest.Map(cmdtest.Bulk("t:avg"), cmdtest.Arr(cmdtest.Int(60000), cmdtest.Simple("AVG"), cmdtest.Int(0))),
		cmdtest.Simple("ignoreMaxTimeDiff"), cmdtest.Int(10), cmdtest.Simple("ignoreMaxValDiff"), cmdtest.Dbl("0.5"),
		cmdtest.Simple("keySelfName"), cmdtest.Bulk("t"),
		cmdtest.Simple("Chunks"), cmdtest.Arr(cmdtest.Map(
			cmdtest.Simple("startTimestamp"), cmdtest.Int(100), cmdtest.Simple("endTimestamp"), cmdtest.Int(300),
			cmdtest.Simple("samples"), cmdtest.Int(3), cmdtest.Simple("size"), cmdtest.Int(4096), cmdtest.Simple("bytesPerSample"), cmdtest.Dbl("1365.33"))),
	)
	cmdtest.CheckDecode(t, "resp2", resp2, decodeTSInfoReply, want)
	cmdtest.CheckDecode(t, "resp3", resp3, decodeTSInfoReply, want)

	empty := TSInfoReply{Labels: map[string]string{}, Rules: []TSRule{}, DuplicatePolicy: "block", SourceKey: "src"}
	cmdtest.CheckDecode(t, "empty resp2", cmdtest.Arr(cmdtest.Simple("labels"), cmdtest.Arr(), cmdtest.Simple("rules"), cmdtest.Arr(),
		cmdtest.Simple("duplicatePolicy"), cmdtest.Bulk("block"), cmdtest.Simple("sourceKey"), cmdtest.Bulk("src")), decodeTSInfoReply, empty)
	cmdtest.CheckDecode(t, "empty resp3", cmdtest.Map(cmdtest.Simple("labels"), cmdtest.Map(), cmdtest.Simple("rules"), cmdtest.Map(),
		cmdtest.Simple("duplicatePolicy"), cmdtest.Bulk("block"), cmdtest.Simple("sourceKey"), cmdtest.Bulk("src")), decodeTSInfoReply, empty)

	cmdtest.CheckDecodeErr(t, "error", cmdtest.Err("ERR DB: the key does not exist"), decodeTSInfoReply)
	cmdtest.CheckDecodeErr(t, "bad rule resp2", cmdtest.Arr(cmdtest.Simple("rules"), cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("d")))), decodeTSInfoReply)
	cmdtest.CheckDecodeErr(t, "bad rule resp3", cmdtest.Map(cmdtest.Simple("rules"), cmdtest.Map(cmdtest.Bulk("d"), cmdtest.Arr(cmdtest.Bulk("x"), cmdtest.Simple("AVG")))), decodeTSInfoReply)
	cmdtest.CheckDecodeErr(t, "bad labels", cmdtest.Map(cmdtest.Simple("labels"), cmdtest.Arr(cmdtest.Bulk("odd"))), decodeTSInfoReply)
	cmdtest.CheckDecodeErr(t, "bad total", cmdtest.Map(cmdtest.Simple("totalSamples"), cmdtest.Bulk("many")), decodeTSInfoReply)
}

func TestDecodeTSMGetReply(t *testing.T) {
	want := TSMGetReply{
		{Key: "a", Labels: map[string]string{"team": "NY"}, Sample: TSMaybeSample{Value: TSSample{10, 1.5}, Valid: true}},
		{Key: "b", Labels: map[string]string{"team": ""}, Sample: TSMaybeSample{}},
	}
	resp2 := cmdtest.Arr(
		cmdtest.Arr(cmdtest.Bulk("a"), cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("team"), cmdtest.Bulk("NY"))), cmdtest.Arr(cmdtest.Int(10), cmdtest.Simple("1.5"))),
		cmdtest.Arr(cmdtest.Bulk("b"), cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("team"), cmdtest.Null2)), cmdtest.Arr()),
	)
	resp3 := cmdtest.Map(
		cmdtest.Bulk("a"), cmdtest.Arr(cmdtest.Map(cmdtest.Bulk("team"), cmdtest.Bulk("NY")), cmdtest.Arr(cmdtest.Int(10), cmdtest.Dbl("1.5"))),
		cmdtest.Bulk("b"), cmdtest.Arr(cmdtest.Map(cmdtest.Bulk("team"), cmdtest.Null3), cmdtest.Arr()),
	)
	cmdtest.CheckDecode(t, "resp2", resp2, decodeTSMGetReply, want)
	cmdtest.CheckDecode(t, "resp3", resp3, decodeTSMGetReply, want)
	cmdtest.CheckDecode(t, "empty resp2", cmdtest.Arr(), decodeTSMGetReply, TSMGetReply{})
	cmdtest.CheckDecode(t, "empty resp3", cmdtest.Map(), decodeTSMGetReply, TSMGetReply{})
	cmdtest.CheckDecodeErr(t, "error", cmdtest.Err("ERR"), decodeTSMGetReply)
	cmdtest.CheckDecodeErr(t, "short entry", cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("a"), cmdtest.Arr())), decodeTSMGetReply)
	cmdtest.CheckDecodeErr(t, "bad sample", cmdtest.Map(cmdtest.Bulk("a"), cmdtest.Arr(cmdtest.Map(), cmdtest.Arr(cmdtest.Int(1)))), decodeTSMGetReply)
	cmdtest.CheckDecodeErr(t, "scalar", cmdtest.Int(1), decodeTSMGetReply)
}

func TestDecodeTSMRangeReply(t *testing.T) {
	want := TSMRangeReply{
		{Key: "ts1", Labels: map[string]string{"metric": "cpu"}, Samples: []TSSample{{1000, 90}, {2000, 45.5}}},
		{Key: "ts2", Labels: map[string]string{}, Samples: []TSSample{}},
	}
	resp2 := cmdtest.Arr(
		cmdtest.Arr(cmdtest.Bulk("ts1"), cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("metric"), cmdtest.Bulk("cpu"))),
			cmdtest.Arr(cmdtest.Arr(cmdtest.Int(1000), cmdtest.Simple("90")), cmdtest.Arr(cmdtest.Int(2000), cmdtest.Simple("45.5")))),
		cmdtest.Arr(cmdtest.Bulk("ts2"), cmdtest.Arr(), cmdtest.Arr()),
	)
	resp3 := cmdtest.Map(
		cmdtest.Bulk("ts1"), cmdtest.Arr(cmdtest.Map(cmdtest.Bulk("metric"), cmdtest.Bulk("cpu")), cmdtest.Map(cmdtest.Bulk("aggregators"), cmdtest.Arr()),
			cmdtest.Arr(cmdtest.Arr(cmdtest.Int(1000), cmdtest.Dbl("90")), cmdtest.Arr(cmdtest.Int(2000), cmdtest.Dbl("45.5")))),
		cmdtest.Bulk("ts2"), cmdtest.Arr(cmdtest.Map(), cmdtest.Map(cmdtest.Bulk("aggregators"), cmdtest.Arr()), cmdtest.Arr()),
	)
	cmdtest.CheckDecode(t, "resp2", resp2, decodeTSMRangeReply, want)
	cmdtest.CheckDecode(t, "resp3", resp3, decodeTSMRangeReply, want)

	group := TSMRangeReply{{
		Key: "type=stock", Labels: map[string]string{"type": "stock"}, Reducer: "max",
		Sources: []string{"stock:A", "stock:B"}, Samples: []TSSample{{1000, 120}},
	}}
	groupResp2 := cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("type=stock"),
		cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("type"), cmdtest.Bulk("stock")), cmdtest.Arr(cmdtest.Bulk("__reducer__"), cmdtest.Bulk("max")),
			cmdtest.Arr(cmdtest.Bulk("__source__"), cmdtest.Bulk("stock:A,stock:B"))),
		cmdtest.Arr(cmdtest.Arr(cmdtest.Int(1000), cmdtest.Simple("120")))))
	groupResp3 := cmdtest.Map(cmdtest.Bulk("type=stock"), cmdtest.Arr(
		cmdtest.Map(cmdtest.Bulk("type"), cmdtest.Bulk("stock")),
		cmdtest.Map(cmdtest.Bulk("reducers"), cmdtest.Arr(cmdtest.Bulk("max"))),
		cmdtest.Map(cmdtest.Bulk("sources"), cmdtest.Arr(cmdtest.Bulk("stock:A"), cmdtest.Bulk("stock:B"))),
		cmdtest.Arr(cmdtest.Arr(cmdtest.Int(1000), cmdtest.Dbl("120")))))
	cmdtest.CheckDecode(t, "groupby resp2", groupResp2, decodeTSMRangeReply, group)
	cmdtest.CheckDecode(t, "groupby resp3", groupResp3, decodeTSMRangeReply, group)
	cmdtest.CheckDecode(t, "empty", cmdtest.Arr(), decodeTSMRangeReply, TSMRangeReply{})

	cmdtest.CheckDecodeErr(t, "error", cmdtest.Err("ERR DB: failed parsing labels"), decodeTSMRangeReply)
	cmdtest.CheckDecodeErr(t, "bad samples", cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("k"), cmdtest.Arr(), cmdtest.Arr(cmdtest.Int(1)))), decodeTSMRangeReply)
	cmdtest.CheckDecodeErr(t, "bad metadata", cmdtest.Map(cmdtest.Bulk("k"), cmdtest.Arr(cmdtest.Map(), cmdtest.Map(cmdtest.Bulk("sources"), cmdtest.Int(1)), cmdtest.Arr())), decodeTSMRangeReply)
	cmdtest.CheckDecodeErr(t, "bad key", cmdtest.Arr(cmdtest.Arr(cmdtest.Arr(), cmdtest.Arr(), cmdtest.Arr())), decodeTSMRangeReply)
}
