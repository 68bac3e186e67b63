package redisclient

// This file tests the hand-written decoders of replies_modules.go on RESP2
// and RESP3 fixtures (see replies_redis8_test.go for the builders).

import (
	"math"
	"testing"

	"github.com/redkit-go/redkit/transport/resp"
)

func TestDecodeTSSample(t *testing.T) {
	want := TSSample{Timestamp: 1000, Value: 1.5}
	checkDecode(t, "resp2", fxArr(fxInt(1000), fxSimple("1.5")), decodeTSSample, want)
	checkDecode(t, "resp3", fxArr(fxInt(1000), fxDbl("1.5")), decodeTSSample, want)
	checkDecodeErr(t, "short", fxArr(fxInt(1000)), decodeTSSample)
	checkDecodeErr(t, "bad value", fxArr(fxInt(1000), fxBulk("x")), decodeTSSample)
	checkDecodeErr(t, "bad timestamp", fxArr(fxBulk("t"), fxDbl("1")), decodeTSSample)
	checkDecodeErr(t, "scalar", fxInt(3), decodeTSSample)

	r := readFixture(t, fxArr(fxInt(5), fxDbl("nan")))
	s, err := decodeTSSample(r.Value())
	if err != nil || s.Timestamp != 5 || !math.IsNaN(s.Value) {
		t.Errorf("NaN sample: got %+v, %v", s, err)
	}
}

func TestDecodeTSMaybeSample(t *testing.T) {
	want := TSMaybeSample{Value: TSSample{Timestamp: 7, Value: 2}, Valid: true}
	checkDecode(t, "resp2", fxArr(fxInt(7), fxBulk("2")), decodeTSMaybeSample, want)
	checkDecode(t, "resp3", fxArr(fxInt(7), fxDbl("2")), decodeTSMaybeSample, want)
	checkDecode(t, "empty", fxArr(), decodeTSMaybeSample, TSMaybeSample{})
	checkDecode(t, "null", fxNull3, decodeTSMaybeSample, TSMaybeSample{})
	checkDecodeErr(t, "error", fxErr("ERR TSDB: the key does not exist"), decodeTSMaybeSample)
	checkDecodeErr(t, "short", fxArr(fxInt(7)), decodeTSMaybeSample)
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
	resp2 := fxArr(
		fxSimple("totalSamples"), fxInt(3), fxSimple("memoryUsage"), fxInt(4184),
		fxSimple("firstTimestamp"), fxInt(100), fxSimple("lastTimestamp"), fxInt(300),
		fxSimple("retentionTime"), fxInt(0), fxSimple("chunkCount"), fxInt(1),
		fxSimple("chunkSize"), fxInt(4096), fxSimple("chunkType"), fxSimple("compressed"),
		fxSimple("duplicatePolicy"), fxNull2,
		fxSimple("labels"), fxArr(fxArr(fxBulk("type"), fxBulk("temp")), fxArr(fxBulk("room"), fxBulk("1"))),
		fxSimple("sourceKey"), fxNull2,
		fxSimple("rules"), fxArr(fxArr(fxBulk("t:avg"), fxInt(60000), fxSimple("AVG"), fxInt(0))),
		fxSimple("ignoreMaxTimeDiff"), fxInt(10), fxSimple("ignoreMaxValDiff"), fxBulk("0.5"),
		fxSimple("keySelfName"), fxBulk("t"),
		fxSimple("Chunks"), fxArr(fxArr(
			fxSimple("startTimestamp"), fxInt(100), fxSimple("endTimestamp"), fxInt(300),
			fxSimple("samples"), fxInt(3), fxSimple("size"), fxInt(4096), fxSimple("bytesPerSample"), fxBulk("1365.33"))),
	)
	resp3 := fxMap(
		fxSimple("totalSamples"), fxInt(3), fxSimple("memoryUsage"), fxInt(4184),
		fxSimple("firstTimestamp"), fxInt(100), fxSimple("lastTimestamp"), fxInt(300),
		fxSimple("retentionTime"), fxInt(0), fxSimple("chunkCount"), fxInt(1),
		fxSimple("chunkSize"), fxInt(4096), fxSimple("chunkType"), fxSimple("compressed"),
		fxSimple("duplicatePolicy"), fxNull3,
		fxSimple("labels"), fxMap(fxBulk("type"), fxBulk("temp"), fxBulk("room"), fxBulk("1")),
		fxSimple("sourceKey"), fxNull3,
		fxSimple("rules"), fxMap(fxBulk("t:avg"), fxArr(fxInt(60000), fxSimple("AVG"), fxInt(0))),
		fxSimple("ignoreMaxTimeDiff"), fxInt(10), fxSimple("ignoreMaxValDiff"), fxDbl("0.5"),
		fxSimple("keySelfName"), fxBulk("t"),
		fxSimple("Chunks"), fxArr(fxMap(
			fxSimple("startTimestamp"), fxInt(100), fxSimple("endTimestamp"), fxInt(300),
			fxSimple("samples"), fxInt(3), fxSimple("size"), fxInt(4096), fxSimple("bytesPerSample"), fxDbl("1365.33"))),
	)
	checkDecode(t, "resp2", resp2, decodeTSInfoReply, want)
	checkDecode(t, "resp3", resp3, decodeTSInfoReply, want)

	empty := TSInfoReply{Labels: map[string]string{}, Rules: []TSRule{}, DuplicatePolicy: "block", SourceKey: "src"}
	checkDecode(t, "empty resp2", fxArr(fxSimple("labels"), fxArr(), fxSimple("rules"), fxArr(),
		fxSimple("duplicatePolicy"), fxBulk("block"), fxSimple("sourceKey"), fxBulk("src")), decodeTSInfoReply, empty)
	checkDecode(t, "empty resp3", fxMap(fxSimple("labels"), fxMap(), fxSimple("rules"), fxMap(),
		fxSimple("duplicatePolicy"), fxBulk("block"), fxSimple("sourceKey"), fxBulk("src")), decodeTSInfoReply, empty)

	checkDecodeErr(t, "error", fxErr("ERR TSDB: the key does not exist"), decodeTSInfoReply)
	checkDecodeErr(t, "bad rule resp2", fxArr(fxSimple("rules"), fxArr(fxArr(fxBulk("d")))), decodeTSInfoReply)
	checkDecodeErr(t, "bad rule resp3", fxMap(fxSimple("rules"), fxMap(fxBulk("d"), fxArr(fxBulk("x"), fxSimple("AVG")))), decodeTSInfoReply)
	checkDecodeErr(t, "bad labels", fxMap(fxSimple("labels"), fxArr(fxBulk("odd"))), decodeTSInfoReply)
	checkDecodeErr(t, "bad total", fxMap(fxSimple("totalSamples"), fxBulk("many")), decodeTSInfoReply)
}

func TestDecodeTSMGetReply(t *testing.T) {
	want := TSMGetReply{
		{Key: "a", Labels: map[string]string{"team": "NY"}, Sample: TSMaybeSample{Value: TSSample{10, 1.5}, Valid: true}},
		{Key: "b", Labels: map[string]string{"team": ""}, Sample: TSMaybeSample{}},
	}
	resp2 := fxArr(
		fxArr(fxBulk("a"), fxArr(fxArr(fxBulk("team"), fxBulk("NY"))), fxArr(fxInt(10), fxSimple("1.5"))),
		fxArr(fxBulk("b"), fxArr(fxArr(fxBulk("team"), fxNull2)), fxArr()),
	)
	resp3 := fxMap(
		fxBulk("a"), fxArr(fxMap(fxBulk("team"), fxBulk("NY")), fxArr(fxInt(10), fxDbl("1.5"))),
		fxBulk("b"), fxArr(fxMap(fxBulk("team"), fxNull3), fxArr()),
	)
	checkDecode(t, "resp2", resp2, decodeTSMGetReply, want)
	checkDecode(t, "resp3", resp3, decodeTSMGetReply, want)
	checkDecode(t, "empty resp2", fxArr(), decodeTSMGetReply, TSMGetReply{})
	checkDecode(t, "empty resp3", fxMap(), decodeTSMGetReply, TSMGetReply{})
	checkDecodeErr(t, "error", fxErr("ERR"), decodeTSMGetReply)
	checkDecodeErr(t, "short entry", fxArr(fxArr(fxBulk("a"), fxArr())), decodeTSMGetReply)
	checkDecodeErr(t, "bad sample", fxMap(fxBulk("a"), fxArr(fxMap(), fxArr(fxInt(1)))), decodeTSMGetReply)
	checkDecodeErr(t, "scalar", fxInt(1), decodeTSMGetReply)
}

func TestDecodeTSMRangeReply(t *testing.T) {
	want := TSMRangeReply{
		{Key: "ts1", Labels: map[string]string{"metric": "cpu"}, Samples: []TSSample{{1000, 90}, {2000, 45.5}}},
		{Key: "ts2", Labels: map[string]string{}, Samples: []TSSample{}},
	}
	resp2 := fxArr(
		fxArr(fxBulk("ts1"), fxArr(fxArr(fxBulk("metric"), fxBulk("cpu"))),
			fxArr(fxArr(fxInt(1000), fxSimple("90")), fxArr(fxInt(2000), fxSimple("45.5")))),
		fxArr(fxBulk("ts2"), fxArr(), fxArr()),
	)
	resp3 := fxMap(
		fxBulk("ts1"), fxArr(fxMap(fxBulk("metric"), fxBulk("cpu")), fxMap(fxBulk("aggregators"), fxArr()),
			fxArr(fxArr(fxInt(1000), fxDbl("90")), fxArr(fxInt(2000), fxDbl("45.5")))),
		fxBulk("ts2"), fxArr(fxMap(), fxMap(fxBulk("aggregators"), fxArr()), fxArr()),
	)
	checkDecode(t, "resp2", resp2, decodeTSMRangeReply, want)
	checkDecode(t, "resp3", resp3, decodeTSMRangeReply, want)

	group := TSMRangeReply{{
		Key: "type=stock", Labels: map[string]string{"type": "stock"}, Reducer: "max",
		Sources: []string{"stock:A", "stock:B"}, Samples: []TSSample{{1000, 120}},
	}}
	groupResp2 := fxArr(fxArr(fxBulk("type=stock"),
		fxArr(fxArr(fxBulk("type"), fxBulk("stock")), fxArr(fxBulk("__reducer__"), fxBulk("max")),
			fxArr(fxBulk("__source__"), fxBulk("stock:A,stock:B"))),
		fxArr(fxArr(fxInt(1000), fxSimple("120")))))
	groupResp3 := fxMap(fxBulk("type=stock"), fxArr(
		fxMap(fxBulk("type"), fxBulk("stock")),
		fxMap(fxBulk("reducers"), fxArr(fxBulk("max"))),
		fxMap(fxBulk("sources"), fxArr(fxBulk("stock:A"), fxBulk("stock:B"))),
		fxArr(fxArr(fxInt(1000), fxDbl("120")))))
	checkDecode(t, "groupby resp2", groupResp2, decodeTSMRangeReply, group)
	checkDecode(t, "groupby resp3", groupResp3, decodeTSMRangeReply, group)
	checkDecode(t, "empty", fxArr(), decodeTSMRangeReply, TSMRangeReply{})

	checkDecodeErr(t, "error", fxErr("ERR TSDB: failed parsing labels"), decodeTSMRangeReply)
	checkDecodeErr(t, "bad samples", fxArr(fxArr(fxBulk("k"), fxArr(), fxArr(fxInt(1)))), decodeTSMRangeReply)
	checkDecodeErr(t, "bad metadata", fxMap(fxBulk("k"), fxArr(fxMap(), fxMap(fxBulk("sources"), fxInt(1)), fxArr())), decodeTSMRangeReply)
	checkDecodeErr(t, "bad key", fxArr(fxArr(fxArr(), fxArr(), fxArr())), decodeTSMRangeReply)
}

func TestDecodeBFInfoField(t *testing.T) {
	checkDecode(t, "resp2", fxArr(fxInt(100)), decodeBFInfoField, 100)
	checkDecode(t, "resp3", fxMap(fxSimple("Capacity"), fxInt(100)), decodeBFInfoField, 100)
	checkDecode(t, "bare", fxInt(100), decodeBFInfoField, 100)
	checkDecodeErr(t, "two", fxArr(fxInt(1), fxInt(2)), decodeBFInfoField)
	checkDecodeErr(t, "empty map", fxMap(), decodeBFInfoField)
	checkDecodeErr(t, "error", fxErr("ERR not found"), decodeBFInfoField)
}

func TestDecodeVEmbRaw(t *testing.T) {
	checkDecode(t, "resp2 fp32", fxArr(fxSimple("fp32"), fxBulk("\x00\x00\x80\x3f"), fxSimple("1.5")), decodeVEmbRaw,
		VEmbRaw{Quantization: "fp32", Blob: []byte{0, 0, 0x80, 0x3f}, Norm: 1.5})
	checkDecode(t, "resp3 q8", fxArr(fxSimple("q8"), fxBulk("\x01\x7f"), fxDbl("2.25"), fxDbl("0.0078")), decodeVEmbRaw,
		VEmbRaw{Quantization: "q8", Blob: []byte{1, 0x7f}, Norm: 2.25, Range: 0.0078})
	checkDecode(t, "null", fxNull3, decodeNullVEmbRawForTest, nil)
	checkDecodeErr(t, "short", fxArr(fxSimple("fp32"), fxBulk("")), decodeVEmbRaw)
	checkDecodeErr(t, "bad blob", fxArr(fxSimple("fp32"), fxArr(), fxDbl("1")), decodeVEmbRaw)
	checkDecodeErr(t, "bad norm", fxArr(fxSimple("fp32"), fxBulk(""), fxBulk("n")), decodeVEmbRaw)
}

// decodeNullVEmbRawForTest is the nullable form VEMB RAW uses.
func decodeNullVEmbRawForTest(v resp.Value) (*VEmbRaw, error) {
	if v.Kind() == resp.KindNull {
		return nil, nil
	}
	r, err := decodeVEmbRaw(v)
	return &r, err
}

func TestDecodeVSim(t *testing.T) {
	scores := VSimScores{{Element: "a", Score: 0.9}, {Element: "b", Score: 0.5}}
	checkDecode(t, "scores resp2", fxArr(fxBulk("a"), fxBulk("0.9"), fxBulk("b"), fxBulk("0.5")), decodeVSimScores, scores)
	checkDecode(t, "scores resp3", fxMap(fxBulk("a"), fxDbl("0.9"), fxBulk("b"), fxDbl("0.5")), decodeVSimScores, scores)

	attribs := VSimAttribs{{Element: "a", Attributes: `{"x":1}`}, {Element: "b"}}
	checkDecode(t, "attribs resp2", fxArr(fxBulk("a"), fxBulk(`{"x":1}`), fxBulk("b"), fxNull2), decodeVSimAttribs, attribs)
	checkDecode(t, "attribs resp3", fxMap(fxBulk("a"), fxBulk(`{"x":1}`), fxBulk("b"), fxNull3), decodeVSimAttribs, attribs)

	both := VSimScoresAttribs{{Element: "a", Score: 0.9, Attributes: `{"x":1}`}, {Element: "b", Score: 0.5}}
	checkDecode(t, "both resp2", fxArr(fxBulk("a"), fxBulk("0.9"), fxBulk(`{"x":1}`), fxBulk("b"), fxBulk("0.5"), fxNull2),
		decodeVSimScoresAttribs, both)
	checkDecode(t, "both resp3", fxMap(fxBulk("a"), fxArr(fxDbl("0.9"), fxBulk(`{"x":1}`)), fxBulk("b"), fxArr(fxDbl("0.5"), fxNull3)),
		decodeVSimScoresAttribs, both)

	checkDecode(t, "empty resp2", fxArr(), decodeVSimScores, VSimScores{})
	checkDecode(t, "empty resp3", fxMap(), decodeVSimScoresAttribs, VSimScoresAttribs{})
	checkDecodeErr(t, "odd resp2", fxArr(fxBulk("a"), fxBulk("0.9"), fxBulk("b")), decodeVSimScores)
	checkDecodeErr(t, "bad score", fxMap(fxBulk("a"), fxBulk("high")), decodeVSimScores)
	checkDecodeErr(t, "short pair", fxMap(fxBulk("a"), fxArr(fxDbl("0.9"))), decodeVSimScoresAttribs)
	checkDecodeErr(t, "error", fxErr("ERR element not found"), decodeVSimScores)
	checkDecodeErr(t, "scalar", fxInt(1), decodeVSimAttribs)
}
