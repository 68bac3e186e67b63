// This file tests the decoder: every kind in RESP2 and RESP3 forms, reads
// split at every byte, Value accessors, attributes and memory bounds.

package resp_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/redkit-go/redkit/transport/resp"
)

// readerWrappers feed input to the Reader in different read patterns.
var readerWrappers = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"onebyte", iotest.OneByteReader},
	{"half", iotest.HalfReader},
	{"dataerr", iotest.DataErrReader},
}

var equateNaNs = cmpopts.EquateNaNs()

// direct feeds input unchanged.
func direct(r io.Reader) io.Reader { return r }

func str(k resp.Kind, s string) resp.Message { return resp.Message{Kind: k, Str: s} }
func bulk(s string) resp.Message             { return str(resp.KindBulkString, s) }
func integer(n int64) resp.Message           { return resp.Message{Kind: resp.KindInteger, Int: n} }
func agg(k resp.Kind, e ...resp.Message) resp.Message {
	return resp.Message{Kind: k, Elems: e}
}

var decodeTests = []struct {
	name string
	in   string
	want resp.Message
}{
	// RESP2 forms.
	{"SimpleString", "+OK\r\n", str(resp.KindSimpleString, "OK")},
	{"SimpleStringEmpty", "+\r\n", str(resp.KindSimpleString, "")},
	{"SimpleError", "-ERR unknown command 'FOO'\r\n", str(resp.KindSimpleError, "ERR unknown command 'FOO'")},
	{"Integer", ":1000\r\n", integer(1000)},
	{"IntegerNegative", ":-42\r\n", integer(-42)},
	{"IntegerPlus", ":+7\r\n", integer(7)},
	{"IntegerMin", ":-9223372036854775808\r\n", integer(math.MinInt64)},
	{"BulkString", "$5\r\nhello\r\n", bulk("hello")},
	{"BulkStringEmpty", "$0\r\n\r\n", bulk("")},
	{"BulkStringBinary", "$4\r\n\r\n\x00\xff\r\n", bulk("\r\n\x00\xff")},
	{"NullBulkString", "$-1\r\n", resp.Message{Kind: resp.KindNull}},
	{"NullArray", "*-1\r\n", resp.Message{Kind: resp.KindNull}},
	{"Array", "*2\r\n$3\r\nfoo\r\n:1\r\n", agg(resp.KindArray, bulk("foo"), integer(1))},
	{"ArrayEmpty", "*0\r\n", agg(resp.KindArray)},
	{"ArrayWithNulls", "*3\r\n$-1\r\n*-1\r\n+x\r\n", agg(resp.KindArray,
		resp.Message{Kind: resp.KindNull}, resp.Message{Kind: resp.KindNull}, str(resp.KindSimpleString, "x"))},
	{"ArrayNested", "*2\r\n*2\r\n:1\r\n:2\r\n*0\r\n", agg(resp.KindArray,
		agg(resp.KindArray, integer(1), integer(2)), agg(resp.KindArray))},
	// RESP3 forms.
	{"Null", "_\r\n", resp.Message{Kind: resp.KindNull}},
	{"True", "#t\r\n", resp.Message{Kind: resp.KindBoolean, Bool: true, Int: 1}},
	{"False", "#f\r\n", resp.Message{Kind: resp.KindBoolean}},
	{"Double", ",1.23\r\n", resp.Message{Kind: resp.KindDouble, Str: "1.23", Float: 1.23}},
	{"DoubleInteger", ",10\r\n", resp.Message{Kind: resp.KindDouble, Str: "10", Float: 10}},
	{"DoubleExponent", ",1.5e-3\r\n", resp.Message{Kind: resp.KindDouble, Str: "1.5e-3", Float: 0.0015}},
	{"DoubleExponentUpper", ",-2E+10\r\n", resp.Message{Kind: resp.KindDouble, Str: "-2E+10", Float: -2e10}},
	{"DoubleInf", ",inf\r\n", resp.Message{Kind: resp.KindDouble, Str: "inf", Float: math.Inf(1)}},
	{"DoubleNegInf", ",-inf\r\n", resp.Message{Kind: resp.KindDouble, Str: "-inf", Float: math.Inf(-1)}},
	{"DoubleNaN", ",nan\r\n", resp.Message{Kind: resp.KindDouble, Str: "nan", Float: math.NaN()}},
	{"DoubleBeyondRange", ",-1e400\r\n", resp.Message{Kind: resp.KindDouble, Str: "-1e400", Float: math.Inf(-1)}},
	{"DoubleUnderflow", ",1e-400\r\n", resp.Message{Kind: resp.KindDouble, Str: "1e-400"}},
	{"BigNumber", "(3492890328409238509324850943850943825024385\r\n",
		str(resp.KindBigNumber, "3492890328409238509324850943850943825024385")},
	{"BigNumberNegative", "(-1\r\n", str(resp.KindBigNumber, "-1")},
	{"BulkError", "!21\r\nSYNTAX invalid syntax\r\n", str(resp.KindBulkError, "SYNTAX invalid syntax")},
	{"Verbatim", "=15\r\ntxt:Some string\r\n", resp.Message{Kind: resp.KindVerbatim, Format: "txt", Str: "Some string"}},
	{"VerbatimEmpty", "=4\r\nmkd:\r\n", resp.Message{Kind: resp.KindVerbatim, Format: "mkd"}},
	{"Map", "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", agg(resp.KindMap,
		str(resp.KindSimpleString, "first"), integer(1), str(resp.KindSimpleString, "second"), integer(2))},
	{"MapEmpty", "%0\r\n", agg(resp.KindMap)},
	{"Set", "~3\r\n+a\r\n+b\r\n+c\r\n", agg(resp.KindSet,
		str(resp.KindSimpleString, "a"), str(resp.KindSimpleString, "b"), str(resp.KindSimpleString, "c"))},
	{"Push", ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", agg(resp.KindPush, bulk("message"), bulk("ch"), bulk("hi"))},
	{"MapNested", "%1\r\n$1\r\nk\r\n*2\r\n%1\r\n#t\r\n_\r\n~1\r\n,2\r\n", agg(resp.KindMap, bulk("k"), agg(resp.KindArray,
		agg(resp.KindMap, resp.Message{Kind: resp.KindBoolean, Bool: true, Int: 1}, resp.Message{Kind: resp.KindNull}),
		agg(resp.KindSet, resp.Message{Kind: resp.KindDouble, Str: "2", Float: 2})))},
	{"StreamedString", "$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n", bulk("Hello word")},
	{"StreamedStringEmpty", "$?\r\n;0\r\n", bulk("")},
	{"StreamedArray", "*?\r\n:1\r\n:2\r\n.\r\n", agg(resp.KindArray, integer(1), integer(2))},
	{"StreamedArrayEmpty", "*?\r\n.\r\n", agg(resp.KindArray)},
	{"StreamedMap", "%?\r\n+a\r\n:1\r\n+b\r\n:2\r\n.\r\n", agg(resp.KindMap,
		str(resp.KindSimpleString, "a"), integer(1), str(resp.KindSimpleString, "b"), integer(2))},
	{"StreamedNested", "~?\r\n*?\r\n$?\r\n;1\r\nx\r\n;0\r\n.\r\n:5\r\n.\r\n", agg(resp.KindSet,
		agg(resp.KindArray, bulk("x")), integer(5))},
	{"NestedAttributeDropped", "*2\r\n|1\r\n+ttl\r\n:3600\r\n$1\r\na\r\n:2\r\n", agg(resp.KindArray, bulk("a"), integer(2))},
	{"NestedAttributeBeforeEnd", "*?\r\n:1\r\n|0\r\n.\r\n", agg(resp.KindArray, integer(1))},
	{"NestedAttributeInMap", "%1\r\n|1\r\n+a\r\n+b\r\n+k\r\n|1\r\n+c\r\n*1\r\n+d\r\n+v\r\n", agg(resp.KindMap,
		str(resp.KindSimpleString, "k"), str(resp.KindSimpleString, "v"))},
}

// readOne decodes in with rd's read pattern and checks that exactly one reply
// was there.
func readOne(t *testing.T, in string, wrap func(io.Reader) io.Reader, size int) (*resp.Reply, error) {
	t.Helper()
	rd := resp.NewReader(wrap(strings.NewReader(in)), size, resp.Limits{})
	var r resp.Reply
	if err := rd.ReadReply(&r); err != nil {
		return &r, err
	}
	var extra resp.Reply
	if err := rd.ReadReply(&extra); err != io.EOF {
		t.Errorf("after the reply: got %v (value %v), want io.EOF", err, extra.Value())
	}
	return &r, nil
}

func TestDecode(t *testing.T) {
	for _, tt := range decodeTests {
		for _, w := range readerWrappers {
			t.Run(tt.name+"/"+w.name, func(t *testing.T) {
				r, err := readOne(t, tt.in, w.wrap, 16)
				if err != nil {
					t.Fatalf("ReadReply(%q): %v", tt.in, err)
				}
				if diff := cmp.Diff(tt.want, r.Value().Message(), equateNaNs); diff != "" {
					t.Errorf("ReadReply(%q) mismatch (-want +got):\n%s", tt.in, diff)
				}
			})
		}
	}
}

// TestDecodeStream reads all test replies back to back from one stream, so
// replies start at every offset of the buffer.
func TestDecodeStream(t *testing.T) {
	var in strings.Builder
	for _, tt := range decodeTests {
		in.WriteString(tt.in)
	}
	for _, size := range []int{0, 16, 17, 64} {
		for _, w := range readerWrappers {
			rd := resp.NewReader(w.wrap(strings.NewReader(in.String())), size, resp.Limits{})
			var r resp.Reply
			for _, tt := range decodeTests {
				if err := rd.ReadReply(&r); err != nil {
					t.Fatalf("size %d, %s, %s: %v", size, w.name, tt.name, err)
				}
				if diff := cmp.Diff(tt.want, r.Value().Message(), equateNaNs); diff != "" {
					t.Errorf("size %d, %s, %s: mismatch (-want +got):\n%s", size, w.name, tt.name, diff)
				}
			}
			if err := rd.ReadReply(&r); err != io.EOF {
				t.Errorf("size %d, %s: at end got %v, want io.EOF", size, w.name, err)
			}
		}
	}
}

func TestAttributes(t *testing.T) {
	in := "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n"
	for _, w := range readerWrappers {
		r, err := readOne(t, in, w.wrap, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := agg(resp.KindArray, integer(2039123), integer(9543892))
		if diff := cmp.Diff(want, r.Value().Message()); diff != "" {
			t.Errorf("%s: value mismatch (-want +got):\n%s", w.name, diff)
		}
		a, ok := r.Attributes()
		if !ok {
			t.Fatalf("%s: no attributes", w.name)
		}
		wantAttr := agg(resp.KindMap, str(resp.KindSimpleString, "key-popularity"), agg(resp.KindMap,
			bulk("a"), resp.Message{Kind: resp.KindDouble, Str: "0.1923", Float: 0.1923},
			bulk("b"), resp.Message{Kind: resp.KindDouble, Str: "0.0012", Float: 0.0012}))
		if diff := cmp.Diff(wantAttr, a.Message()); diff != "" {
			t.Errorf("%s: attributes mismatch (-want +got):\n%s", w.name, diff)
		}
	}

	// The next reply starts without attributes.
	rd := resp.NewReader(strings.NewReader("|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n"), 0, resp.Limits{})
	var r resp.Reply
	if err := rd.ReadReply(&r); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Attributes(); !ok {
		t.Error("first reply: no attributes")
	}
	if err := rd.ReadReply(&r); err != nil {
		t.Fatal(err)
	}
	if a, ok := r.Attributes(); ok || a.Valid() {
		t.Errorf("second reply: attributes %v, want none", a)
	}
	if r.Value().Int() != 2 {
		t.Errorf("second reply: %v, want 2", r.Value())
	}
}

func TestValueAccessors(t *testing.T) {
	in := "*9\r\n$5\r\nhello\r\n:-5\r\n#t\r\n=9\r\nmkd:# top\r\n%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n-ERR oops\r\n!4\r\nBUSY\r\n,2.5\r\n_\r\n"
	r, err := readOne(t, in, iotest.OneByteReader, 0)
	if err != nil {
		t.Fatal(err)
	}
	v := r.Value()
	if v.Kind() != resp.KindArray || v.Len() != 9 || !v.Valid() || v.IsNull() {
		t.Fatalf("top: kind %v len %d", v.Kind(), v.Len())
	}
	if v.Bytes() != nil || v.Int() != 0 || v.Err() != nil || v.Next().Valid() {
		t.Error("aggregate has scalar accessors")
	}

	e := v.First()
	if string(e.Bytes()) != "hello" || e.Text() != "hello" || e.Len() != 5 || e.Kind() != resp.KindBulkString {
		t.Errorf("bulk: %v", e)
	}
	if e.First().Valid() {
		t.Error("bulk has children")
	}

	e = e.Next()
	if e.Int() != -5 || !e.Bool() || e.Float() != -5 || e.Bytes() != nil {
		t.Errorf("integer: %v", e)
	}

	e = e.Next()
	if !e.Bool() || e.Int() != 1 || e.Kind() != resp.KindBoolean {
		t.Errorf("boolean: %v", e)
	}

	e = e.Next()
	if e.Text() != "# top" || e.VerbatimFormat() != "mkd" || e.Len() != 5 {
		t.Errorf("verbatim: %v format %q", e, e.VerbatimFormat())
	}

	e = e.Next()
	if e.Kind() != resp.KindMap || e.Len() != 2 {
		t.Errorf("map: %v len %d", e, e.Len())
	}
	var keys []string
	var sum int64
	for k := e.First(); k.Valid(); k = k.Next().Next() {
		keys = append(keys, k.Text())
		sum += k.Next().Int()
	}
	if strings.Join(keys, ",") != "a,b" || sum != 3 {
		t.Errorf("map walk: keys %v sum %d", keys, sum)
	}

	e = e.Next()
	var re *resp.Error
	if err := e.Err(); !errors.As(err, &re) || re.Text != "ERR oops" || re.Prefix() != "ERR" {
		t.Errorf("simple error: %v", err)
	}

	e = e.Next()
	if err := e.Err(); !errors.As(err, &re) || re.Text != "BUSY" || re.Prefix() != "BUSY" {
		t.Errorf("bulk error: %v", err)
	}

	e = e.Next()
	if e.Float() != 2.5 || e.Text() != "2.5" || e.Kind() != resp.KindDouble {
		t.Errorf("double: %v", e)
	}

	e = e.Next()
	if !e.IsNull() || e.Len() != 0 || e.Bytes() != nil {
		t.Errorf("null: %v", e)
	}
	if e.Next().Valid() || e.Next().Kind() != resp.KindInvalid {
		t.Error("value after the last child")
	}

	var zero resp.Value
	if zero.Valid() || zero.Kind() != resp.KindInvalid || zero.Bytes() != nil || zero.Len() != 0 ||
		zero.First().Valid() || zero.Next().Valid() || zero.Err() != nil || zero.String() != "(invalid)" {
		t.Error("zero Value is not inert")
	}
	var empty resp.Reply
	if empty.Value().Valid() {
		t.Error("empty Reply has a value")
	}

	// Views die with Reset.
	r.Reset()
	if v.Valid() || e.Valid() {
		t.Error("values valid after Reset")
	}
}

func TestValueString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"$3\r\nabc\r\n", `"abc"`},
		{"+OK\r\n", `"OK"`},
		{":5\r\n", "(integer) 5"},
		{"*2\r\n:1\r\n$1\r\na\r\n", `[1, "a"]`},
		{"%1\r\n$1\r\nk\r\n:1\r\n", `{"k": 1}`},
		{"-ERR x\r\n", "(error) ERR x"},
		{"_\r\n", "(nil)"},
		{"#t\r\n", "(boolean) true"},
		{",1.5\r\n", "(double) 1.5"},
		{"(12\r\n", "(big number) 12"},
		{"=7\r\ntxt:abc\r\n", `(txt) "abc"`},
		{"~2\r\n#f\r\n,inf\r\n", "set[false, inf]"},
		{">1\r\n*0\r\n", "push[[]]"},
	}
	for _, tt := range tests {
		r, err := readOne(t, tt.in, direct, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Value().String(); got != tt.want {
			t.Errorf("String of %q = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestMessageIsOwned checks that a Message survives reuse of its Reply.
func TestMessageIsOwned(t *testing.T) {
	rd := resp.NewReader(strings.NewReader("*2\r\n$3\r\nabc\r\n=7\r\ntxt:def\r\n*2\r\n$3\r\nXYZ\r\n$3\r\nUVW\r\n"), 0, resp.Limits{})
	var r resp.Reply
	if err := rd.ReadReply(&r); err != nil {
		t.Fatal(err)
	}
	m := r.Value().Message()
	if err := rd.ReadReply(&r); err != nil {
		t.Fatal(err)
	}
	want := agg(resp.KindArray, bulk("abc"), resp.Message{Kind: resp.KindVerbatim, Format: "txt", Str: "def"})
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("message changed by reuse (-want +got):\n%s", diff)
	}
}

func TestMessageEmptyStringsInNestedAggregates(t *testing.T) {
	in := "*3\r\n*1\r\n$0\r\n\r\n$3\r\nabc\r\n*2\r\n+\r\n=4\r\ntxt:\r\n"
	r, err := readOne(t, in, direct, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := agg(resp.KindArray, agg(resp.KindArray, bulk("")), bulk("abc"),
		agg(resp.KindArray, str(resp.KindSimpleString, ""), resp.Message{Kind: resp.KindVerbatim, Format: "txt"}))
	if diff := cmp.Diff(want, r.Value().Message()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestLargeBulk(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	in := string(resp.AppendBulkBytes(nil, payload))
	for _, w := range readerWrappers {
		if w.name == "onebyte" && testing.Short() {
			continue
		}
		r, err := readOne(t, in, w.wrap, 0)
		if err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if !bytes.Equal(r.Value().Bytes(), payload) {
			t.Errorf("%s: payload mismatch", w.name)
		}
	}
}

// TestHostileDeclaredLengths checks that declared lengths within the limits
// reserve nothing: memory tracks the bytes actually received.
func TestHostileDeclaredLengths(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"bulk", "$536870912\r\n" + strings.Repeat("x", 1<<20)},
		{"verbatim", "=536870912\r\ntxt:" + strings.Repeat("x", 1<<20)},
		{"array", "*4294967296\r\n" + strings.Repeat(":1\r\n", 1<<16)},
		{"map", "%4294967296\r\n" + strings.Repeat(":1\r\n", 1<<16)},
		{"streamed", "$?\r\n;536870912\r\n" + strings.Repeat("x", 1<<20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd := resp.NewReader(strings.NewReader(tt.in), 0, resp.Limits{})
			var r resp.Reply
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			err := rd.ReadReply(&r)
			runtime.GC()
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(&r)
			runtime.KeepAlive(rd)
			if err != io.ErrUnexpectedEOF {
				t.Fatalf("got %v, want io.ErrUnexpectedEOF", err)
			}
			// 1 MiB of payload or 64 Ki nodes (2 MiB) were received; the
			// declared lengths would need 512 MiB or 128 GiB.
			if got := int64(after.HeapAlloc) - int64(before.HeapAlloc); got > 6<<20 {
				t.Errorf("retained %d bytes for %d bytes of input", got, len(tt.in))
			}
		})
	}
}

func TestLimits(t *testing.T) {
	lim := resp.Limits{MaxBulkLen: 10, MaxDepth: 2, MaxElements: 3}
	tests := []struct {
		in      string
		wantErr string // "" means success
	}{
		{"$10\r\n0123456789\r\n", ""},
		{"$11\r\n01234567890\r\n", "resp: bulk length 11 exceeds limit 10"},
		{"=11\r\ntxt:0123456\r\n", "resp: verbatim length 11 exceeds limit 10"},
		{"!11\r\nERR 0123456\r\n", "resp: bulk error length 11 exceeds limit 10"},
		{"$?\r\n;6\r\n012345\r\n;4\r\n6789\r\n;0\r\n", ""},
		{"$?\r\n;6\r\n012345\r\n;5\r\n6789a\r\n;0\r\n", "resp: streamed string length exceeds limit 10"},
		{"*3\r\n:1\r\n:2\r\n:3\r\n", ""},
		{"*4\r\n:1\r\n:2\r\n:3\r\n:4\r\n", "resp: array length 4 exceeds limit 3"},
		{"%4\r\n", "resp: map length 4 exceeds limit 3"},
		{"%3\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n", ""},
		{"*?\r\n:1\r\n:2\r\n:3\r\n.\r\n", ""},
		{"*?\r\n:1\r\n:2\r\n:3\r\n:4\r\n.\r\n", "resp: streamed array has more than 3 elements"},
		{"%?\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n.\r\n", ""},
		{"*1\r\n*1\r\n:1\r\n", ""},
		{"*1\r\n*1\r\n*1\r\n:1\r\n", "resp: nesting deeper than 2"},
		{"*1\r\n*1\r\n*0\r\n", "resp: nesting deeper than 2"},
		{"*1\r\n*1\r\n*-1\r\n", ""}, // a null is not an aggregate
	}
	for _, tt := range tests {
		rd := resp.NewReader(strings.NewReader(tt.in), 0, lim)
		var r resp.Reply
		err := rd.ReadReply(&r)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("%q: got error %v, want %s", tt.in, err, tt.wantErr)
		}
	}
}

func TestDefaultDepth(t *testing.T) {
	ok := strings.Repeat("*1\r\n", resp.DefaultMaxDepth) + ":1\r\n"
	if _, err := readOne(t, ok, iotest.OneByteReader, 0); err != nil {
		t.Errorf("depth %d: %v", resp.DefaultMaxDepth, err)
	}
	// A million levels must fail fast, not exhaust the stack.
	deep := strings.Repeat("*1\r\n", 1_000_000)
	rd := resp.NewReader(strings.NewReader(deep), 0, resp.Limits{})
	var r resp.Reply
	if err := rd.ReadReply(&r); err == nil || err.Error() != "resp: nesting deeper than 64" {
		t.Errorf("got %v, want nesting error", err)
	}
}

func TestLongLines(t *testing.T) {
	long := strings.Repeat("x", resp.MaxLineLen-1)
	r, err := readOne(t, "+"+long+"\r\n", direct, 64)
	if err != nil {
		t.Fatalf("line of MaxLineLen bytes: %v", err)
	}
	if r.Value().Text() != long {
		t.Error("long simple string mismatch")
	}
	for _, size := range []int{64, 1 << 20} {
		rd := resp.NewReader(strings.NewReader("+"+long+"xx\r\n"), size, resp.Limits{})
		var rep resp.Reply
		err := rd.ReadReply(&rep)
		var pe *resp.ProtocolError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "line too long") {
			t.Errorf("buffer %d: got %v, want line too long", size, err)
		}
	}
	// Without any newline at all.
	rd := resp.NewReader(strings.NewReader("+"+strings.Repeat("y", 1<<20)), 0, resp.Limits{})
	var rep resp.Reply
	if err := rd.ReadReply(&rep); err == nil || !strings.Contains(err.Error(), "line too long") {
		t.Errorf("endless line: got %v", err)
	}
}

func TestReaderResetAndBuffered(t *testing.T) {
	rd := resp.NewReader(strings.NewReader("+a\r\n+b\r\n"), 0, resp.Limits{})
	var r resp.Reply
	if err := rd.ReadReply(&r); err != nil {
		t.Fatal(err)
	}
	if rd.Buffered() != 4 {
		t.Errorf("Buffered = %d, want 4", rd.Buffered())
	}
	rd.Reset(strings.NewReader(":9\r\n"))
	if rd.Buffered() != 0 {
		t.Errorf("Buffered after Reset = %d", rd.Buffered())
	}
	if err := rd.ReadReply(&r); err != nil || r.Value().Int() != 9 {
		t.Errorf("after Reset: %v %v", r.Value(), err)
	}
	if err := rd.ReadReply(&r); err != io.EOF {
		t.Errorf("at end: %v", err)
	}
	if r.Value().Valid() {
		t.Error("Reply not emptied by a failed read")
	}
}

func TestReaderPassesIOErrors(t *testing.T) {
	boom := errors.New("boom")
	rd := resp.NewReader(iotest.ErrReader(boom), 0, resp.Limits{})
	var r resp.Reply
	if err := rd.ReadReply(&r); err != boom {
		t.Errorf("got %v, want boom", err)
	}
	// Data followed by an error: the complete reply comes first.
	rd = resp.NewReader(io.MultiReader(strings.NewReader("+OK\r\n$3\r\nab"), iotest.ErrReader(boom)), 0, resp.Limits{})
	if err := rd.ReadReply(&r); err != nil || r.Value().Text() != "OK" {
		t.Errorf("first reply: %v %v", r.Value(), err)
	}
	if err := rd.ReadReply(&r); err != boom {
		t.Errorf("second reply: got %v, want boom", err)
	}
	// A reader that never makes progress.
	rd = resp.NewReader(emptyReader{}, 0, resp.Limits{})
	if err := rd.ReadReply(&r); err != io.ErrNoProgress {
		t.Errorf("empty reads: got %v, want io.ErrNoProgress", err)
	}
}

// TestReaderUsableAfterEarlyError checks that an I/O error (such as a read
// timeout) inside a reply's first line, before anything was decoded, leaves
// the Reader usable.
func TestReaderUsableAfterEarlyError(t *testing.T) {
	timeout := errors.New("i/o timeout")
	src := &scriptReader{steps: []any{"$5\r", timeout, "\nhel", "lo\r\n"}}
	rd := resp.NewReader(src, 0, resp.Limits{})
	var r resp.Reply
	if err := rd.ReadReply(&r); err != timeout {
		t.Fatalf("got %v, want the timeout", err)
	}
	if err := rd.ReadReply(&r); err != nil || r.Value().Text() != "hello" {
		t.Errorf("after the timeout: %v, %v", r.Value(), err)
	}
}

// scriptReader returns its steps in order: strings as data, errors as errors.
type scriptReader struct{ steps []any }

func (s *scriptReader) Read(p []byte) (int, error) {
	if len(s.steps) == 0 {
		return 0, io.EOF
	}
	step := s.steps[0]
	s.steps = s.steps[1:]
	if err, ok := step.(error); ok {
		return 0, err
	}
	return copy(p, step.(string)), nil
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestShrink(t *testing.T) {
	big := strings.Repeat("z", 1<<20)
	in := string(resp.AppendBulkString(nil, big)) + "+small\r\n"
	rd := resp.NewReader(strings.NewReader(in), 0, resp.Limits{})
	var r resp.Reply
	if err := rd.ReadReply(&r); err != nil {
		t.Fatal(err)
	}
	r.Shrink(64 << 10)
	if r.Value().Valid() {
		t.Error("Shrink did not reset")
	}
	if err := rd.ReadReply(&r); err != nil || r.Value().Text() != "small" {
		t.Errorf("after Shrink: %v %v", r.Value(), err)
	}
	allocs := testing.AllocsPerRun(10, func() { r.Shrink(64 << 10) })
	if allocs != 0 {
		t.Errorf("Shrink allocated %v", allocs)
	}
}

func TestReadReplyDoesNotAllocate(t *testing.T) {
	for _, in := range []string{"$5\r\nhello\r\n", "+OK\r\n", ":12\r\n", "*3\r\n$1\r\na\r\n:1\r\n%1\r\n+k\r\n#t\r\n"} {
		src := &repeatReader{data: []byte(in)}
		rd := resp.NewReader(src, 0, resp.Limits{})
		var r resp.Reply
		if err := rd.ReadReply(&r); err != nil { // warm up
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(1000, func() {
			if err := rd.ReadReply(&r); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%q: %v allocations per ReadReply, want 0", in, allocs)
		}
	}
}

// repeatReader returns data over and over, never ending. It copies from a
// pre-repeated block so that the benchmarks measure decoding, not Read.
type repeatReader struct {
	data  []byte
	block []byte
	off   int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.block == nil {
		for len(r.block) < 64<<10 {
			r.block = append(r.block, r.data...)
		}
	}
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.block[r.off:])
		n += c
		r.off = (r.off + c) % len(r.block)
	}
	return n, nil
}
