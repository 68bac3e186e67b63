package redisclient

// This file tests the hand-written decoders of replies_vectorset.go on
// RESP2 and RESP3 fixtures.

import (
	"testing"

	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
	"github.com/redkit-go/redkit/transport/resp"
)

func TestDecodeVEmbRaw(t *testing.T) {
	cmdtest.CheckDecode(t, "resp2 fp32", cmdtest.Arr(cmdtest.Simple("fp32"), cmdtest.Bulk("\x00\x00\x80\x3f"), cmdtest.Simple("1.5")), decodeVEmbRaw,
		VEmbRaw{Quantization: "fp32", Blob: []byte{0, 0, 0x80, 0x3f}, Norm: 1.5})
	cmdtest.CheckDecode(t, "resp3 q8", cmdtest.Arr(cmdtest.Simple("q8"), cmdtest.Bulk("\x01\x7f"), cmdtest.Dbl("2.25"), cmdtest.Dbl("0.0078")), decodeVEmbRaw,
		VEmbRaw{Quantization: "q8", Blob: []byte{1, 0x7f}, Norm: 2.25, Range: 0.0078})
	cmdtest.CheckDecode(t, "null", cmdtest.Null3, decodeNullVEmbRawForTest, nil)
	cmdtest.CheckDecodeErr(t, "short", cmdtest.Arr(cmdtest.Simple("fp32"), cmdtest.Bulk("")), decodeVEmbRaw)
	cmdtest.CheckDecodeErr(t, "bad blob", cmdtest.Arr(cmdtest.Simple("fp32"), cmdtest.Arr(), cmdtest.Dbl("1")), decodeVEmbRaw)
	cmdtest.CheckDecodeErr(t, "bad norm", cmdtest.Arr(cmdtest.Simple("fp32"), cmdtest.Bulk(""), cmdtest.Bulk("n")), decodeVEmbRaw)
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
	cmdtest.CheckDecode(t, "scores resp2", cmdtest.Arr(cmdtest.Bulk("a"), cmdtest.Bulk("0.9"), cmdtest.Bulk("b"), cmdtest.Bulk("0.5")), decodeVSimScores, scores)
	cmdtest.CheckDecode(t, "scores resp3", cmdtest.Map(cmdtest.Bulk("a"), cmdtest.Dbl("0.9"), cmdtest.Bulk("b"), cmdtest.Dbl("0.5")), decodeVSimScores, scores)

	attribs := VSimAttribs{{Element: "a", Attributes: `{"x":1}`}, {Element: "b"}}
	cmdtest.CheckDecode(t, "attribs resp2", cmdtest.Arr(cmdtest.Bulk("a"), cmdtest.Bulk(`{"x":1}`), cmdtest.Bulk("b"), cmdtest.Null2), decodeVSimAttribs, attribs)
	cmdtest.CheckDecode(t, "attribs resp3", cmdtest.Map(cmdtest.Bulk("a"), cmdtest.Bulk(`{"x":1}`), cmdtest.Bulk("b"), cmdtest.Null3), decodeVSimAttribs, attribs)

	both := VSimScoresAttribs{{Element: "a", Score: 0.9, Attributes: `{"x":1}`}, {Element: "b", Score: 0.5}}
	cmdtest.CheckDecode(t, "both resp2", cmdtest.Arr(cmdtest.Bulk("a"), cmdtest.Bulk("0.9"), cmdtest.Bulk(`{"x":1}`), cmdtest.Bulk("b"), cmdtest.Bulk("0.5"), cmdtest.Null2),
		decodeVSimScoresAttribs, both)
	cmdtest.CheckDecode(t, "both resp3", cmdtest.Map(cmdtest.Bulk("a"), cmdtest.Arr(cmdtest.Dbl("0.9"), cmdtest.Bulk(`{"x":1}`)), cmdtest.Bulk("b"), cmdtest.Arr(cmdtest.Dbl("0.5"), cmdtest.Null3)),
		decodeVSimScoresAttribs, both)

	cmdtest.CheckDecode(t, "empty resp2", cmdtest.Arr(), decodeVSimScores, VSimScores{})
	cmdtest.CheckDecode(t, "empty resp3", cmdtest.Map(), decodeVSimScoresAttribs, VSimScoresAttribs{})
	cmdtest.CheckDecodeErr(t, "odd resp2", cmdtest.Arr(cmdtest.Bulk("a"), cmdtest.Bulk("0.9"), cmdtest.Bulk("b")), decodeVSimScores)
	cmdtest.CheckDecodeErr(t, "bad score", cmdtest.Map(cmdtest.Bulk("a"), cmdtest.Bulk("high")), decodeVSimScores)
	cmdtest.CheckDecodeErr(t, "short pair", cmdtest.Map(cmdtest.Bulk("a"), cmdtest.Arr(cmdtest.Dbl("0.9"))), decodeVSimScoresAttribs)
	cmdtest.CheckDecodeErr(t, "error", cmdtest.Err("ERR element not found"), decodeVSimScores)
	cmdtest.CheckDecodeErr(t, "scalar", cmdtest.Int(1), decodeVSimAttribs)
}
