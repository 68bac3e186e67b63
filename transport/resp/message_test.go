// This file tests Message: round trips through AppendMessage and ReadReply,
// RESP2 down-conversion and rendering.

package resp_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/redkit-go/redkit/transport/resp"
)

// randMessage builds a random Message in the canonical form the decoder
// produces (booleans carry Int, doubles carry their text).
func randMessage(rng *rand.Rand, depth int) resp.Message {
	kinds := []resp.Kind{
		resp.KindSimpleString, resp.KindSimpleError, resp.KindInteger, resp.KindBulkString,
		resp.KindNull, resp.KindBoolean, resp.KindDouble, resp.KindBigNumber, resp.KindBulkError,
		resp.KindVerbatim, resp.KindArray, resp.KindMap, resp.KindSet, resp.KindPush,
	}
	k := kinds[rng.IntN(len(kinds))]
	if depth <= 0 && (k == resp.KindArray || k == resp.KindMap || k == resp.KindSet || k == resp.KindPush) {
		k = resp.KindInteger
	}
	randText := func(binary bool) string {
		b := make([]byte, rng.IntN(20))
		for i := range b {
			if binary {
				b[i] = byte(rng.IntN(256))
			} else {
				b[i] = byte(' ' + rng.IntN(95))
			}
		}
		return string(b)
	}
	m := resp.Message{Kind: k}
	switch k {
	case resp.KindSimpleString, resp.KindSimpleError:
		m.Str = randText(false)
	case resp.KindBulkString, resp.KindBulkError:
		m.Str = randText(true)
	case resp.KindVerbatim:
		m.Format = []string{"txt", "mkd"}[rng.IntN(2)]
		m.Str = randText(true)
	case resp.KindInteger:
		m.Int = int64(rng.Uint64())
	case resp.KindBoolean:
		m.Bool = rng.IntN(2) == 1
		if m.Bool {
			m.Int = 1
		}
	case resp.KindDouble:
		switch rng.IntN(5) {
		case 0:
			m.Float, m.Str = math.Inf(1), "inf"
		case 1:
			m.Float, m.Str = math.Inf(-1), "-inf"
		case 2:
			m.Float, m.Str = math.NaN(), "nan"
		default:
			m.Float = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
			m.Str = strconv.FormatFloat(m.Float, 'g', -1, 64)
		}
	case resp.KindBigNumber:
		m.Str = strconv.FormatUint(rng.Uint64(), 10) + strconv.FormatUint(rng.Uint64(), 10)
		if rng.IntN(2) == 0 {
			m.Str = "-" + m.Str
		}
	case resp.KindArray, resp.KindSet, resp.KindPush, resp.KindMap:
		n := rng.IntN(5)
		if k == resp.KindMap {
			n *= 2
		}
		for range n {
			m.Elems = append(m.Elems, randMessage(rng, depth-1))
		}
	}
	return m
}

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var msgs []resp.Message
	var stream []byte
	for range 500 {
		m := randMessage(rng, 4)
		msgs = append(msgs, m)
		stream = resp.AppendMessage(stream, m, 3)
	}
	for _, w := range readerWrappers {
		rd := resp.NewReader(w.wrap(strings.NewReader(string(stream))), 32, resp.Limits{})
		var r resp.Reply
		for i, want := range msgs {
			if err := rd.ReadReply(&r); err != nil {
				t.Fatalf("%s: message %d (%v): %v", w.name, i, want, err)
			}
			if diff := cmp.Diff(want, r.Value().Message(), equateNaNs); diff != "" {
				t.Fatalf("%s: message %d mismatch (-want +got):\n%s", w.name, i, diff)
			}
		}
	}
}

// TestRESP2Form checks that a RESP3 message encoded for RESP2 decodes to the
// kinds a RESP2 server would have sent.
func TestRESP2Form(t *testing.T) {
	in := agg(resp.KindMap,
		bulk("d"), resp.Message{Kind: resp.KindDouble, Float: 1.5},
		bulk("b"), resp.Message{Kind: resp.KindBoolean, Bool: true, Int: 1},
		bulk("s"), agg(resp.KindSet, resp.Message{Kind: resp.KindNull}),
		bulk("v"), resp.Message{Kind: resp.KindVerbatim, Format: "txt", Str: "x"},
		bulk("e"), str(resp.KindBulkError, "ERR e"),
		bulk("n"), str(resp.KindBigNumber, "12"),
	)
	want := agg(resp.KindArray,
		bulk("d"), bulk("1.5"),
		bulk("b"), integer(1),
		bulk("s"), agg(resp.KindArray, resp.Message{Kind: resp.KindNull}),
		bulk("v"), bulk("x"),
		bulk("e"), str(resp.KindSimpleError, "ERR e"),
		bulk("n"), bulk("12"),
	)
	r, err := readOne(t, string(resp.AppendMessage(nil, in, 2)), direct, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, r.Value().Message()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestMessageString(t *testing.T) {
	tests := []struct {
		m    resp.Message
		want string
	}{
		{resp.Message{}, "(invalid)"},
		{resp.Message{Kind: resp.KindDouble, Float: 0.5}, "(double) 0.5"},
		{agg(resp.KindMap, integer(1)), "{1: ?}"},
		{agg(resp.KindMap, bulk("a"), integer(1), bulk("b"), agg(resp.KindArray, integer(2), bulk("c"))), `{"a": 1, "b": [2, "c"]}`},
		{resp.Message{Kind: resp.Kind(42)}, "(Kind(42))"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("String() = %s, want %s", got, tt.want)
		}
	}
}

func TestMessageAllocations(t *testing.T) {
	// 100 strings in nested arrays: Message costs a constant number of
	// allocations (one for all text, one for all elements).
	m := agg(resp.KindArray)
	for range 10 {
		inner := agg(resp.KindArray)
		for range 10 {
			inner.Elems = append(inner.Elems, bulk("value"))
		}
		m.Elems = append(m.Elems, inner)
	}
	r, err := readOne(t, string(resp.AppendMessage(nil, m, 3)), direct, 0)
	if err != nil {
		t.Fatal(err)
	}
	v := r.Value()
	allocs := testing.AllocsPerRun(100, func() { _ = v.Message() })
	if allocs != 2 {
		t.Errorf("Message allocated %v times, want 2", allocs)
	}
}
