package integration

// Redis 8's vector sets, on RESP2 and RESP3: VADD (values and FP32
// blobs, quantization, attributes), VCARD, VDIM, VEMB (and RAW), VINFO,
// VISMEMBER, VLINKS, VRANDMEMBER, VRANGE, VREM, VSETATTR, VGETATTR and
// VSIM with its scores, attributes and filters. Valkey has no vector sets.

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/redkit-go/redkit/redisclient"
)

func TestVectorSets(t *testing.T) {
	sharedServer(t).RequireServer(t, "vector sets", "8.0.0", "")
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		srv := sharedServer(t)
		ctx := testCtx(t)
		approx := cmpopts.EquateApprox(0, 1e-4)
		v := key(t, "v")

		// Three unquantized 2-dimensional vectors: a and b orthogonal, c
		// between them; c carries attributes from the start.
		expect(t, "VADD VALUES NOQUANT", true)(redisclient.VAdd(v, redisclient.VAddValues(3, 4), "a").NoQuant().Do(ctx, c))
		expect(t, "VADD FP32 CAS NOQUANT", true)(redisclient.VAdd(v, redisclient.VAddFP32(fp32(-4, 3)), "b").CAS().NoQuant().Do(ctx, c))
		expect(t, "VADD NOQUANT SETATTR", true)(redisclient.VAdd(v, redisclient.VAddValues(1, 7), "c").
			NoQuant().SetAttr(`{"year":1990}`).Do(ctx, c))
		expect(t, "VADD of an existing element", false)(redisclient.VAdd(v, redisclient.VAddValues(3, 4), "a").NoQuant().Do(ctx, c))
		serverError[bool](t, "VADD of another dimension", "ERR")(redisclient.VAdd(v, redisclient.VAddValues(1, 2, 3), "d").NoQuant().Do(ctx, c))

		expect(t, "VCARD", int64(3))(redisclient.VCard(v).Do(ctx, c))
		expect(t, "VCARD of a missing key", int64(0))(redisclient.VCard(key(t, "missing")).Do(ctx, c))
		expect(t, "VDIM", int64(2))(redisclient.VDim(v).Do(ctx, c))
		expect(t, "VEMB", []float64{3, 4}, approx)(redisclient.VEmb(v, "a").Do(ctx, c))
		expect(t, "VEMB of the FP32 vector", []float64{-4, 3}, approx)(redisclient.VEmb(v, "b").Do(ctx, c))
		expect(t, "VEMB of a missing element", []float64(nil))(redisclient.VEmb(v, "nope").Do(ctx, c))
		raw := value[*redisclient.VEmbRaw](t, "VEMB RAW")(redisclient.VEmb(v, "a").Raw().Do(ctx, c))
		// Stored normalized, with the norm apart.
		if raw == nil || raw.Quantization != "f32" || math.Abs(raw.Norm-5) > 1e-4 || len(raw.Blob) != 8 ||
			math.Abs(float64(math.Float32frombits(binary.LittleEndian.Uint32(raw.Blob)))-0.6) > 1e-4 {
			t.Errorf("VEMB RAW: %+v, want f32, norm 5 and the blob of (0.6, 0.8)", raw)
		}

		info := value[*redisclient.VInfoReply](t, "VINFO")(redisclient.VInfo(v).Do(ctx, c))
		if info == nil || info.QuantType != "f32" || info.VectorDim != 2 || info.Size != 3 || info.AttributesCount != 1 || info.HNSWM <= 0 {
			t.Errorf("VINFO: %+v, want f32, dimension 2, size 3, 1 attribute, a positive hnsw-m", info)
		}
		expect(t, "VINFO of a missing key", (*redisclient.VInfoReply)(nil))(redisclient.VInfo(key(t, "missing")).Do(ctx, c))

		// Attributes.
		expect(t, "VGETATTR", some(`{"year":1990}`))(redisclient.VGetAttr(v, "c").Do(ctx, c))
		expect(t, "VGETATTR without attributes", none[string]())(redisclient.VGetAttr(v, "a").Do(ctx, c))
		expect(t, "VSETATTR", true)(redisclient.VSetAttr(v, "a", `{"year":1970}`).Do(ctx, c))
		expect(t, "VSETATTR of a missing element", false)(redisclient.VSetAttr(v, "nope", `{"year":1}`).Do(ctx, c))
		expect(t, "VGETATTR after VSETATTR", some(`{"year":1970}`))(redisclient.VGetAttr(v, "a").Do(ctx, c))

		// Similarity: cosine, as (1+cos)/2. From (3,4): a itself, c at
		// cos 31/35.36, b orthogonal.
		expect(t, "VSIM VALUES", []string{"a", "c", "b"})(redisclient.VSim(v, redisclient.VSimValues(3, 4)).Do(ctx, c))
		expect(t, "VSIM ELE WITHSCORES", redisclient.VSimScores{{Element: "a", Score: 1}, {Element: "c", Score: 0.93841}, {Element: "b", Score: 0.5}}, approx)(
			redisclient.VSim(v, redisclient.VSimEle("a")).WithScores().Do(ctx, c))
		expect(t, "VSIM FP32 WITHATTRIBS COUNT 2", redisclient.VSimAttribs{{Element: "a", Attributes: `{"year":1970}`}, {Element: "c", Attributes: `{"year":1990}`}})(
			redisclient.VSim(v, redisclient.VSimFP32(fp32(3, 4))).WithAttribs().Count(2).Do(ctx, c))
		expect(t, "VSIM FILTER", []string{"c"})(redisclient.VSim(v, redisclient.VSimEle("a")).Filter(".year > 1980").Do(ctx, c))
		expect(t, "VSIM With(EPSILON, TRUTH, NOTHREAD)", []string{"a", "c"})(redisclient.VSim(v, redisclient.VSimEle("a")).
			With(redisclient.VSimOptions{Epsilon: some(0.2), Truth: true, NoThread: true}).Do(ctx, c))
		expect(t, "VSIM of a missing key", []string{})(redisclient.VSim(key(t, "missing"), redisclient.VSimValues(1, 1)).Do(ctx, c))

		// Graph links, one list per level from the node's highest down to
		// level 0, where the three nodes link to each other.
		links := value[[][]string](t, "VLINKS")(redisclient.VLinks(v, "a").Do(ctx, c))
		if len(links) == 0 || !cmpEqualSorted(links[len(links)-1], []string{"b", "c"}) {
			t.Errorf("VLINKS a: %q, want level 0 to hold b and c", links)
		}
		scored := value[[]map[string]float64](t, "VLINKS WITHSCORES")(redisclient.VLinks(v, "a").WithScores().Do(ctx, c))
		if len(scored) != len(links) || len(scored[len(scored)-1]) != 2 ||
			math.Abs(scored[len(scored)-1]["c"]-0.93841) > 1e-4 || math.Abs(scored[len(scored)-1]["b"]-0.5) > 1e-4 {
			t.Errorf("VLINKS a WITHSCORES: %v, want level 0 {b: 0.5, c: 0.93841}", scored)
		}
		expect(t, "VLINKS of a missing element", [][]string(nil))(redisclient.VLinks(v, "nope").Do(ctx, c))

		// Random members.
		one := value[redisclient.Opt[string]](t, "VRANDMEMBER")(redisclient.VRandMember(v).Do(ctx, c))
		if !one.Valid || (one.Value != "a" && one.Value != "b" && one.Value != "c") {
			t.Errorf("VRANDMEMBER: %+v, want one of a, b, c", one)
		}
		expect(t, "VRANDMEMBER COUNT beyond the size", []string{"a", "b", "c"}, sorted)(redisclient.VRandMember(v).Count(5).Do(ctx, c))
		if reps := value[[]string](t, "VRANDMEMBER negative COUNT")(redisclient.VRandMember(v).Count(-5).Do(ctx, c)); len(reps) != 5 {
			t.Errorf("VRANDMEMBER COUNT -5: %q, want 5 elements (repeats allowed)", reps)
		}
		expect(t, "VRANDMEMBER of a missing key", none[string]())(redisclient.VRandMember(key(t, "missing")).Do(ctx, c))

		t.Run("VISMEMBER", func(t *testing.T) {
			srv.RequireVersion(t, "8.2.0", "VISMEMBER")
			expect(t, "VISMEMBER", true)(redisclient.VIsMember(v, "b").Do(ctx, c))
			expect(t, "VISMEMBER of a missing element", false)(redisclient.VIsMember(v, "nope").Do(ctx, c))
		})
		t.Run("VRANGE", func(t *testing.T) {
			srv.RequireVersion(t, "8.4.0", "VRANGE")
			expect(t, "VRANGE - +", []string{"a", "b", "c"})(redisclient.VRange(v, "-", "+").Do(ctx, c))
			expect(t, "VRANGE exclusive start, COUNT 1", []string{"b"})(redisclient.VRange(v, "(a", "+").Count(1).Do(ctx, c))
			expect(t, "VRANGE inclusive bounds", []string{"b", "c"})(redisclient.VRange(v, "[b", "[c").Do(ctx, c))
		})

		// Removal; the last element's removal deletes the key.
		expect(t, "VREM", true)(redisclient.VRem(v, "b").Do(ctx, c))
		expect(t, "VREM again", false)(redisclient.VRem(v, "b").Do(ctx, c))
		expect(t, "VCARD after VREM", int64(2))(redisclient.VCard(v).Do(ctx, c))
		expect(t, "VREM a", true)(redisclient.VRem(v, "a").Do(ctx, c))
		expect(t, "VREM c", true)(redisclient.VRem(v, "c").Do(ctx, c))
		expect(t, "EXISTS after the last VREM", int64(0))(redisclient.Exists(v).Do(ctx, c))

		// Quantized sets report their quantization.
		q := key(t, "q8")
		expect(t, "VADD Q8 EF M", true)(redisclient.VAdd(q, redisclient.VAddValues(0.5, -0.25, 1), "x").Q8().EF(100).M(8).Do(ctx, c))
		if info := value[*redisclient.VInfoReply](t, "VINFO Q8")(redisclient.VInfo(q).Do(ctx, c)); info == nil || info.QuantType != "int8" || info.HNSWM != 8 {
			t.Errorf("VINFO of a Q8 set with M 8: %+v, want int8 and hnsw-m 8", info)
		}
		b := key(t, "bin")
		expect(t, "VADD BIN", true)(redisclient.VAdd(b, redisclient.VAddValues(1, -1, 1, -1), "x").Bin().Do(ctx, c))
		expect(t, "VEMB of a binary vector", []float64{1, -1, 1, -1})(redisclient.VEmb(b, "x").Do(ctx, c))
	})
}

// fp32 encodes a vector as VADD and VSIM's FP32 blob: little-endian
// float32s.
func fp32(values ...float32) []byte {
	b := make([]byte, 0, 4*len(values))
	for _, v := range values {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// cmpEqualSorted reports whether got holds want's strings in any order.
func cmpEqualSorted(got, want []string) bool {
	g, w := sortedCopy(got), sortedCopy(want)
	if len(g) != len(w) {
		return false
	}
	for i := range g {
		if g[i] != w[i] {
			return false
		}
	}
	return true
}
