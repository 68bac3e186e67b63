// This file tests ParseInt and ParseFloat.

package resp_test

import (
	"errors"
	"math"
	"testing"

	"github.com/redkit-go/redkit/transport/resp"
)

func TestParseInt(t *testing.T) {
	good := []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"-0", 0}, {"+0", 0}, {"7", 7}, {"-7", -7}, {"+7", 7}, {"007", 7},
		{"123456789012345678", 123456789012345678},
		{"9223372036854775807", math.MaxInt64},
		{"-9223372036854775808", math.MinInt64},
		{"0000000000000000000000001", 1},
	}
	for _, tt := range good {
		got, err := resp.ParseInt([]byte(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("ParseInt(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"", `resp: invalid integer ""`},
		{"-", `resp: invalid integer "-"`},
		{"+", `resp: invalid integer "+"`},
		{" 1", `resp: invalid integer " 1"`},
		{"1 ", `resp: invalid integer "1 "`},
		{"12a", `resp: invalid integer "12a"`},
		{"1.0", `resp: invalid integer "1.0"`},
		{"--1", `resp: invalid integer "--1"`},
		{"0x10", `resp: invalid integer "0x10"`},
		{"1_000", `resp: invalid integer "1_000"`},
		{"9223372036854775808", `resp: integer "9223372036854775808" out of range`},
		{"-9223372036854775809", `resp: integer "-9223372036854775809" out of range`},
		{"99999999999999999999999", `resp: integer "99999999999999999999999" out of range`},
	}
	for _, tt := range bad {
		_, err := resp.ParseInt([]byte(tt.in))
		var ne *resp.NumError
		if !errors.As(err, &ne) || err.Error() != tt.msg {
			t.Errorf("ParseInt(%q) error = %v, want %s", tt.in, err, tt.msg)
		}
	}
}

func TestParseFloat(t *testing.T) {
	good := []struct {
		in   string
		want float64
	}{
		{"0", 0}, {"1", 1}, {"-1.5", -1.5}, {"+2.25", 2.25}, {".5", 0.5}, {"5.", 5},
		{"1e3", 1000}, {"1E-3", 0.001}, {"-2.5e+2", -250}, {"3.14159", 3.14159},
		{"1.7976931348623157e308", math.MaxFloat64}, {"5e-324", 5e-324},
		{"inf", math.Inf(1)}, {"+inf", math.Inf(1)}, {"-inf", math.Inf(-1)},
		{"INF", math.Inf(1)}, {"-Inf", math.Inf(-1)},
	}
	for _, tt := range good {
		got, err := resp.ParseFloat([]byte(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("ParseFloat(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"nan", "NaN", "-nan", "+NAN"} {
		if got, err := resp.ParseFloat([]byte(in)); err != nil || !math.IsNaN(got) {
			t.Errorf("ParseFloat(%q) = %v, %v; want NaN", in, got, err)
		}
	}
	bad := []struct{ in, msg string }{
		{"", `resp: invalid float ""`},
		{"-", `resp: invalid float "-"`},
		{".", `resp: invalid float "."`},
		{"e5", `resp: invalid float "e5"`},
		{"1e", `resp: invalid float "1e"`},
		{"1e+", `resp: invalid float "1e+"`},
		{"1.2.3", `resp: invalid float "1.2.3"`},
		{"0x1p3", `resp: invalid float "0x1p3"`},
		{"1_0", `resp: invalid float "1_0"`},
		{"infinity", `resp: invalid float "infinity"`},
		{"in", `resp: invalid float "in"`},
		{"--1", `resp: invalid float "--1"`},
		{" 1", `resp: invalid float " 1"`},
		{"1e400", `resp: float "1e400" out of range`},
	}
	for _, tt := range bad {
		_, err := resp.ParseFloat([]byte(tt.in))
		var ne *resp.NumError
		if !errors.As(err, &ne) || err.Error() != tt.msg {
			t.Errorf("ParseFloat(%q) error = %v, want %s", tt.in, err, tt.msg)
		}
	}
}

func TestParseNumbersDoNotAllocate(t *testing.T) {
	i, f, s := []byte("-9223372036854775808"), []byte("123456.789e-3"), []byte("-inf")
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := resp.ParseInt(i); err != nil {
			t.Fatal(err)
		}
		if _, err := resp.ParseFloat(f); err != nil {
			t.Fatal(err)
		}
		if _, err := resp.ParseFloat(s); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations, want 0", allocs)
	}
}
