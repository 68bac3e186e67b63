package redisclient

// This file holds the RESP fixture builders shared by the decoder tests.

import (
	"strconv"
	"strings"
	"testing"

	"github.com/redkit-go/redkit/transport/resp"
)

func fxBulk(s string) string   { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }
func fxSimple(s string) string { return "+" + s + "\r\n" }
func fxInt(n int64) string     { return ":" + strconv.FormatInt(n, 10) + "\r\n" }
func fxDbl(s string) string    { return "," + s + "\r\n" }
func fxErr(s string) string    { return "-" + s + "\r\n" }

const (
	fxNull2 = "$-1\r\n" // RESP2 null bulk string
	fxNull3 = "_\r\n"   // RESP3 null
)

// fxArr builds an array of encoded elements.
func fxArr(elems ...string) string {
	return "*" + strconv.Itoa(len(elems)) + "\r\n" + strings.Join(elems, "")
}

// fxMap builds a RESP3 map from alternating encoded keys and values.
func fxMap(kvs ...string) string {
	return "%" + strconv.Itoa(len(kvs)/2) + "\r\n" + strings.Join(kvs, "")
}

// fxBulks encodes strings as bulk strings.
func fxBulks(ss ...string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fxBulk(s)
	}
	return out
}

// fxPairs builds alternating bulk keys and values: a RESP2 flat map.
func fxPairs(kv ...string) string { return fxArr(fxBulks(kv...)...) }

// fxMapOf builds a RESP3 map of bulk keys and values.
func fxMapOf(kv ...string) string { return fxMap(fxBulks(kv...)...) }

// checkDecodeErr checks that dec rejects fixture with an error.
func checkDecodeErr[T any](t *testing.T, name, fixture string, dec func(resp.Value) (T, error)) {
	t.Helper()
	r := readFixture(t, fixture)
	if _, err := dec(r.Value()); err == nil {
		t.Errorf("%s: decode %q: no error", name, fixture)
	}
}
