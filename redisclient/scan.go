package redisclient

// This file holds the SCAN-family iterators: Go iterators that fetch pages
// lazily, stop when the loop breaks, and report errors in the loop.

import (
	"context"
	"iter"
	"strconv"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport"
)

// ScanOptions filter a SCAN-family iteration. Match is a glob pattern and
// is not rewritten by Options.KeyPrefix (include the prefix yourself);
// Count hints the page size; Type filters SCAN by key type ("string",
// "hash", ...).
type ScanOptions struct {
	Match string
	Count int64
	Type  string
}

// scanArgs returns the command words for one page.
func scanArgs(words []string, cursor string, opts ScanOptions, withType bool) []string {
	args := append(append([]string(nil), words...), cursor)
	if opts.Match != "" {
		args = append(args, "MATCH", opts.Match)
	}
	if opts.Count > 0 {
		args = append(args, "COUNT", strconv.FormatInt(opts.Count, 10))
	}
	if withType && opts.Type != "" {
		args = append(args, "TYPE", opts.Type)
	}
	return args
}

// scanPages iterates over the pages of a SCAN-family command and yields
// every element of every page.
func scanPages(ctx context.Context, d Doer, words []string, opts ScanOptions, withType bool) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		cursor := "0"
		for {
			raw := RawStrings(scanArgs(words, cursor, opts, withType)...)
			cmd, err := raw.b.Run(ctx, d) // releases the command on failure
			page, err := cmdimpl.DecodeCmd(cmd, err, decodeScanPage)
			if err != nil {
				yield("", err)
				return
			}
			for _, k := range page.Keys {
				if !yield(k, nil) {
					return
				}
			}
			if page.Cursor == "0" {
				return
			}
			cursor = page.Cursor
		}
	}
}

// Scan iterates over the keys of the current database (SCAN). A key may
// be seen more than once, as SCAN guarantees; keys carry the client's key
// prefix.
//
//	for key, err := range c.Scan(ctx, redisclient.ScanOptions{Match: "user:*"}) {
//		if err != nil { return err }
//		...
//	}
//
// On a cluster, Scan iterates over every master in turn.
func (c *Client) Scan(ctx context.Context, opts ScanOptions) iter.Seq2[string, error] {
	masters, ok := c.router.(interface{ Masters() []*transport.Node })
	if !ok {
		return scanPages(ctx, c, []string{"SCAN"}, opts, true)
	}
	return func(yield func(string, error) bool) {
		for _, m := range masters.Masters() {
			for k, err := range scanPages(ctx, m, []string{"SCAN"}, opts, true) {
				if !yield(k, err) || err != nil {
					return
				}
			}
		}
	}
}

// SScan iterates over the members of a set (SSCAN).
func (c *Client) SScan(ctx context.Context, key string, opts ScanOptions) iter.Seq2[string, error] {
	return scanPages(ctx, c, []string{"SSCAN", key}, opts, false)
}

// scanPairs iterates over a SCAN-family reply whose elements alternate two
// parts (HSCAN's field and value, ZSCAN's member and score), converting
// each pair with pair.
func scanPairs[T any](ctx context.Context, c *Client, words []string, opts ScanOptions, pair func(a, b string) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var first string
		odd := false
		for s, err := range scanPages(ctx, c, words, opts, false) {
			if err != nil {
				yield(zero, err)
				return
			}
			if !odd {
				first, odd = s, true
				continue
			}
			odd = false
			v, err := pair(first, s)
			if err != nil {
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// HScan iterates over the fields and values of a hash (HSCAN).
func (c *Client) HScan(ctx context.Context, key string, opts ScanOptions) iter.Seq2[FieldValue, error] {
	return scanPairs(ctx, c, []string{"HSCAN", key}, opts, func(f, v string) (FieldValue, error) {
		return FieldValue{Field: f, Value: v}, nil
	})
}

// ZScan iterates over the members and scores of a sorted set (ZSCAN).
func (c *Client) ZScan(ctx context.Context, key string, opts ScanOptions) iter.Seq2[ZMember, error] {
	return scanPairs(ctx, c, []string{"ZSCAN", key}, opts, func(m, s string) (ZMember, error) {
		score, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return ZMember{}, &ReplyError{Command: "ZSCAN", Err: err}
		}
		return ZMember{Member: m, Score: score}, nil
	})
}
