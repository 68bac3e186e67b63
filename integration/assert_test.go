package integration

// This file holds the comparison helpers: expect(t, what, want)(cmd.Do(ctx,
// c)) checks a typed reply with go-cmp.

import (
	"errors"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/transport/resp"
)

// expect returns a function that checks a command's reply and error (nil
// and empty slices and maps compare equal):
//
//	expect(t, "GET", some("v"))(redisclient.Get(k).Do(ctx, c))
func expect[T any](t testing.TB, what string, want T, opts ...cmp.Option) func(T, error) {
	t.Helper()
	return func(got T, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: unexpected error: %v", what, err)
			return
		}
		if d := cmp.Diff(want, got, append(opts, cmpopts.EquateEmpty())...); d != "" {
			t.Errorf("%s: reply mismatch (-want +got):\n%s", what, d)
		}
	}
}

// value returns a function that checks err and returns the reply:
//
//	id := value(t, "XADD")(redisclient.XAdd(...).Do(ctx, c))
func value[T any](t testing.TB, what string) func(T, error) T {
	t.Helper()
	return func(got T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: unexpected error: %v", what, err)
		}
		return got
	}
}

// ok checks that a command without a reply value succeeded.
func ok(t testing.TB, what string) func(error) {
	t.Helper()
	return func(err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: unexpected error: %v", what, err)
		}
	}
}

// serverError checks that a command failed with a server error reply whose
// code (first word) is code.
func serverError[T any](t testing.TB, what, code string) func(T, error) {
	t.Helper()
	return func(got T, err error) {
		t.Helper()
		var re *resp.Error
		if !errors.As(err, &re) {
			t.Errorf("%s: want a %s server error, got reply %v and error %v", what, code, got, err)
			return
		}
		if re.Prefix() != code {
			t.Errorf("%s: want a %s error, got %q", what, code, re.Text)
		}
	}
}

func some[T any](v T) redisclient.Opt[T] { return redisclient.Opt[T]{Value: v, Valid: true} }
func none[T any]() redisclient.Opt[T]    { return redisclient.Opt[T]{} }

// sorted is a go-cmp option comparing []string in any order.
var sorted = cmpopts.SortSlices(func(a, b string) bool { return a < b })

// sortedCopy returns a sorted copy of s.
func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

// hasAll reports whether s contains every one of subs.
func hasAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func posInf() float64 { return math.Inf(1) }
