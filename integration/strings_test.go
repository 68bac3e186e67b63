package integration

// Strings and bitmaps on RESP2 and RESP3.

import (
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestStrings(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k, missing := key(t, "k"), key(t, "missing")

		// SET, GET and the conditions.
		ok(t, "SET")(redisclient.Set(k, "v1").Do(ctx, c))
		expect(t, "GET", some("v1"))(redisclient.Get(k).Do(ctx, c))
		expect(t, "GET missing", none[string]())(redisclient.Get(missing).Do(ctx, c))
		expect(t, "SET NX existing", false)(redisclient.Set(k, "x").NX().Do(ctx, c))
		expect(t, "SET XX missing", false)(redisclient.Set(missing, "x").XX().Do(ctx, c))
		expect(t, "SET XX existing", true)(redisclient.Set(k, "v2").XX().Do(ctx, c))
		nx := key(t, "nx")
		expect(t, "SET NX new", true)(redisclient.Set(nx, "n").NX().Do(ctx, c))
		expect(t, "GET after SET NX", some("n"))(redisclient.Get(nx).Do(ctx, c))
		expect(t, "SET GET", some("v2"))(redisclient.Set(k, "v3").Get().Do(ctx, c))
		expect(t, "SET GET missing", none[string]())(redisclient.Set(key(t, "sg"), "x").Get().Do(ctx, c))
		expect(t, "SET NX GET existing", some("v3"))(redisclient.Set(k, "ignored").NX().Get().Do(ctx, c))
		expect(t, "value kept by SET NX GET", some("v3"))(redisclient.Get(k).Do(ctx, c))
		expect(t, "SET with []byte", true)(redisclient.Set(k, []byte("bytes\x00\xff")).XX().Do(ctx, c))
		expect(t, "GET binary", some("bytes\x00\xff"))(redisclient.Get(k).Do(ctx, c))

		// Expirations: EX, PX, KEEPTTL, GET with EX.
		ok(t, "SET EX")(redisclient.Set(k, "e").EX(100*time.Second).Do(ctx, c))
		if ttl := value[redisclient.TimeToLive](t, "TTL")(redisclient.TTL(k).Do(ctx, c)); !ttl.HasExpiry() || ttl.Duration < 90*time.Second || ttl.Duration > 100*time.Second {
			t.Errorf("TTL after SET EX 100: %v", ttl)
		}
		ok(t, "SET KEEPTTL")(redisclient.Set(k, "kept").KeepTTL().Do(ctx, c))
		if ttl := value[redisclient.TimeToLive](t, "TTL")(redisclient.TTL(k).Do(ctx, c)); !ttl.HasExpiry() || ttl.Duration < 90*time.Second || ttl.Duration > 100*time.Second {
			t.Errorf("TTL after SET KEEPTTL: %v, want the EX 100 kept", ttl)
		}
		ok(t, "SET without KEEPTTL")(redisclient.Set(k, "plain").Do(ctx, c))
		expect(t, "TTL after plain SET", redisclient.TimeToLive{State: redisclient.ExpiryNone})(redisclient.TTL(k).Do(ctx, c))
		ok(t, "SET PX")(redisclient.Set(k, "p").PX(50*time.Second).Do(ctx, c))
		if pttl := value[redisclient.TimeToLive](t, "PTTL")(redisclient.PTTL(k).Do(ctx, c)); !pttl.HasExpiry() || pttl.Duration < 40*time.Second || pttl.Duration > 50*time.Second {
			t.Errorf("PTTL after SET PX 50000: %v", pttl)
		}
		expect(t, "SET GET EX", some("p"))(redisclient.Set(k, "q").Get().EX(30*time.Second).Do(ctx, c))
		ok(t, "SET EXAT")(redisclient.Set(key(t, "exat"), "x").EXAT(time.Now().Add(time.Hour)).Do(ctx, c))
		if ttl := value[redisclient.TimeToLive](t, "TTL")(redisclient.TTL(key(t, "exat")).Do(ctx, c)); !ttl.HasExpiry() || ttl.Duration < 3500*time.Second || ttl.Duration > 3600*time.Second {
			t.Errorf("TTL after SET EXAT now+1h: %v", ttl)
		}
		expect(t, "SET XX EX", true)(redisclient.Set(k, "r").XX().EX(20*time.Second).Do(ctx, c))

		// GETEX.
		expect(t, "GETEX PERSIST", some("r"))(redisclient.GetEX(k).Persist().Do(ctx, c))
		expect(t, "TTL after GETEX PERSIST", redisclient.TimeToLive{State: redisclient.ExpiryNone})(redisclient.TTL(k).Do(ctx, c))
		expect(t, "GETEX EX", some("r"))(redisclient.GetEX(k).EX(42*time.Second).Do(ctx, c))
		if ttl := value[redisclient.TimeToLive](t, "TTL")(redisclient.TTL(k).Do(ctx, c)); !ttl.HasExpiry() || ttl.Duration < 35*time.Second || ttl.Duration > 42*time.Second {
			t.Errorf("TTL after GETEX EX 42: %v", ttl)
		}
		expect(t, "GETEX PX", some("r"))(redisclient.GetEX(k).PX(9*time.Second).Do(ctx, c))
		expect(t, "GETEX missing", none[string]())(redisclient.GetEX(missing).EX(time.Second).Do(ctx, c))
		expect(t, "GETEX plain", some("r"))(redisclient.GetEX(k).Do(ctx, c))

		// SETEX, PSETEX, SETNX, GETSET, GETDEL.
		ok(t, "SETEX")(redisclient.SetEX(k, 10*time.Second, "se").Do(ctx, c))
		ok(t, "PSETEX")(redisclient.PSetEX(key(t, "pse"), 10*time.Second, "pse").Do(ctx, c))
		expect(t, "SETNX existing", false)(redisclient.SetNX(k, "x").Do(ctx, c))
		expect(t, "GETSET", some("se"))(redisclient.GetSet(k, "gs").Do(ctx, c))
		expect(t, "GETDEL", some("gs"))(redisclient.GetDel(k).Do(ctx, c))
		expect(t, "GETDEL again", none[string]())(redisclient.GetDel(k).Do(ctx, c))

		// Counters.
		n := key(t, "n")
		expect(t, "INCR new", int64(1))(redisclient.Incr(n).Do(ctx, c))
		expect(t, "INCRBY", int64(11))(redisclient.IncrBy(n, 10).Do(ctx, c))
		expect(t, "DECR", int64(10))(redisclient.Decr(n).Do(ctx, c))
		expect(t, "DECRBY", int64(-5))(redisclient.DecrBy(n, 15).Do(ctx, c))
		serverError[int64](t, "INCR on text", "ERR")(redisclient.Incr(nx).Do(ctx, c))
		f := key(t, "f")
		ok(t, "SET float")(redisclient.Set(f, "10.50").Do(ctx, c))
		expect(t, "INCRBYFLOAT 0.1", 10.6)(redisclient.IncrByFloat(f, 0.1).Do(ctx, c))
		expect(t, "INCRBYFLOAT -5", 5.6)(redisclient.IncrByFloat(f, -5).Do(ctx, c))
		ok(t, "SET exp float")(redisclient.Set(f, "5.0e3").Do(ctx, c))
		expect(t, "INCRBYFLOAT 2.0e2", 5200.0)(redisclient.IncrByFloat(f, 2.0e2).Do(ctx, c))
		expect(t, "INCRBYFLOAT new", 1.5)(redisclient.IncrByFloat(key(t, "f2"), 1.5).Do(ctx, c))

		// MSET, MGET, MSETNX.
		a, b := key(t, "a"), key(t, "b")
		ok(t, "MSET")(redisclient.MSet(a, "1").KeyValue(b, "2").Do(ctx, c))
		expect(t, "MGET", []redisclient.Opt[string]{some("1"), none[string](), some("2")})(
			redisclient.MGet(a, missing, b).Do(ctx, c))
		expect(t, "MSETNX with an existing key", false)(redisclient.MSetNX(a, "x").KeyValue(key(t, "c"), "3").Do(ctx, c))
		expect(t, "EXISTS after failed MSETNX", int64(0))(redisclient.Exists(key(t, "c")).Do(ctx, c))
		expect(t, "MSETNX new keys", true)(redisclient.MSetNX(key(t, "c"), "3").KeyValue(key(t, "d"), "4").Do(ctx, c))
		expect(t, "EXISTS", int64(2))(redisclient.Exists(key(t, "c"), key(t, "d"), missing).Do(ctx, c))

		// SETRANGE, GETRANGE, APPEND, STRLEN, SUBSTR.
		r := key(t, "r")
		ok(t, "SET")(redisclient.Set(r, "Hello World").Do(ctx, c))
		expect(t, "SETRANGE", int64(11))(redisclient.SetRange(r, 6, "Redis").Do(ctx, c))
		expect(t, "GET after SETRANGE", some("Hello Redis"))(redisclient.Get(r).Do(ctx, c))
		expect(t, "SETRANGE missing key (zero padded)", int64(11))(redisclient.SetRange(key(t, "pad"), 6, "Redis").Do(ctx, c))
		expect(t, "GET padded", some("\x00\x00\x00\x00\x00\x00Redis"))(redisclient.Get(key(t, "pad")).Do(ctx, c))
		ok(t, "SET")(redisclient.Set(r, "This is a string").Do(ctx, c))
		expect(t, "GETRANGE 0 3", "This")(redisclient.GetRange(r, 0, 3).Do(ctx, c))
		expect(t, "GETRANGE -3 -1", "ing")(redisclient.GetRange(r, -3, -1).Do(ctx, c))
		expect(t, "GETRANGE 0 -1", "This is a string")(redisclient.GetRange(r, 0, -1).Do(ctx, c))
		expect(t, "GETRANGE 10 100", "string")(redisclient.GetRange(r, 10, 100).Do(ctx, c))
		expect(t, "GETRANGE missing", "")(redisclient.GetRange(missing, 0, 10).Do(ctx, c))
		expect(t, "SUBSTR", "is")(redisclient.SubStr(r, 5, 6).Do(ctx, c))
		ap := key(t, "append")
		expect(t, "APPEND new", int64(5))(redisclient.Append(ap, "Hello").Do(ctx, c))
		expect(t, "APPEND", int64(11))(redisclient.Append(ap, " World").Do(ctx, c))
		expect(t, "GET appended", some("Hello World"))(redisclient.Get(ap).Do(ctx, c))
		expect(t, "STRLEN", int64(11))(redisclient.StrLen(ap).Do(ctx, c))
		expect(t, "STRLEN missing", int64(0))(redisclient.StrLen(missing).Do(ctx, c))

		// LCS (the example of the command's documentation).
		k1, k2 := key(t, "lcs1"), key(t, "lcs2")
		ok(t, "MSET")(redisclient.MSet(k1, "ohmytext").KeyValue(k2, "mynewtext").Do(ctx, c))
		expect(t, "LCS", "mytext")(redisclient.LCS(k1, k2).Do(ctx, c))
		expect(t, "LCS LEN", int64(6))(redisclient.LCS(k1, k2).Len().Do(ctx, c))
		expect(t, "LCS IDX", redisclient.LCSMatches{
			Matches: []redisclient.LCSMatch{
				{A: redisclient.LCSRange{Start: 4, End: 7}, B: redisclient.LCSRange{Start: 5, End: 8}},
				{A: redisclient.LCSRange{Start: 2, End: 3}, B: redisclient.LCSRange{Start: 0, End: 1}},
			},
			Len: 6,
		})(redisclient.LCS(k1, k2).IDX().Do(ctx, c))
		expect(t, "LCS IDX MINMATCHLEN WITHMATCHLEN", redisclient.LCSMatches{
			Matches: []redisclient.LCSMatch{
				{A: redisclient.LCSRange{Start: 4, End: 7}, B: redisclient.LCSRange{Start: 5, End: 8}, Len: 4},
			},
			Len: 6,
		})(redisclient.LCS(k1, k2).IDX().MinMatchLen(4).WithMatchLen().Do(ctx, c))

		// Wrong type.
		l := key(t, "list")
		value[int64](t, "RPUSH")(redisclient.RPush(l, "x").Do(ctx, c))
		serverError[redisclient.Opt[string]](t, "GET on a list", "WRONGTYPE")(redisclient.Get(l).Do(ctx, c))
	})
}

func TestBitmaps(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		k := key(t, "bits")

		expect(t, "SETBIT", false)(redisclient.SetBit(k, 7, 1).Do(ctx, c))
		expect(t, "SETBIT again", true)(redisclient.SetBit(k, 7, 0).Do(ctx, c))
		expect(t, "GETBIT", false)(redisclient.GetBit(k, 7).Do(ctx, c))
		expect(t, "GETBIT past the end", false)(redisclient.GetBit(k, 100).Do(ctx, c))

		// "foobar" is the documentation's example: BITCOUNT 26, 0 0 -> 4,
		// 1 1 -> 6, BIT 5 30 -> 17.
		fb := key(t, "foobar")
		ok(t, "SET")(redisclient.Set(fb, "foobar").Do(ctx, c))
		expect(t, "BITCOUNT", int64(26))(redisclient.BitCount(fb).Do(ctx, c))
		expect(t, "BITCOUNT 0 0", int64(4))(redisclient.BitCount(fb).Start(0, 0).Do(ctx, c))
		expect(t, "BITCOUNT 1 1", int64(6))(redisclient.BitCount(fb).Start(1, 1).Do(ctx, c))
		expect(t, "BITCOUNT 1 1 BYTE", int64(6))(redisclient.BitCount(fb).Start(1, 1).Byte().Do(ctx, c))
		expect(t, "BITCOUNT 5 30 BIT", int64(17))(redisclient.BitCount(fb).Start(5, 30).Bit().Do(ctx, c))
		expect(t, "BITCOUNT missing", int64(0))(redisclient.BitCount(key(t, "missing")).Do(ctx, c))

		// BITPOS (documentation: "\xff\xf0\x00").
		bp := key(t, "bp")
		ok(t, "SET")(redisclient.Set(bp, "\xff\xf0\x00").Do(ctx, c))
		expect(t, "BITPOS 0", int64(12))(redisclient.BitPos(bp, 0).Do(ctx, c))
		ok(t, "SET")(redisclient.Set(bp, "\x00\xff\xf0").Do(ctx, c))
		expect(t, "BITPOS 1 0", int64(8))(redisclient.BitPos(bp, 1).Start(0).Do(ctx, c))
		expect(t, "BITPOS 1 2", int64(16))(redisclient.BitPos(bp, 1).Start(2).Do(ctx, c))
		expect(t, "BITPOS 1 2 -1 BYTE", int64(16))(redisclient.BitPos(bp, 1).Start(2).End(-1).Byte().Do(ctx, c))
		expect(t, "BITPOS 1 7 15 BIT", int64(8))(redisclient.BitPos(bp, 1).Start(7).End(15).Bit().Do(ctx, c))
		ok(t, "SET")(redisclient.Set(bp, "\x00\x00\x00").Do(ctx, c))
		expect(t, "BITPOS 1 none", int64(-1))(redisclient.BitPos(bp, 1).Do(ctx, c))

		// BITOP.
		k1, k2, dst := key(t, "op1"), key(t, "op2"), key(t, "dst")
		ok(t, "SET")(redisclient.Set(k1, "foobar").Do(ctx, c))
		ok(t, "SET")(redisclient.Set(k2, "abcdef").Do(ctx, c))
		expect(t, "BITOP AND", int64(6))(redisclient.BitOp(redisclient.BitOperationAnd, dst, k1, k2).Do(ctx, c))
		expect(t, "GET AND", some("`bc`ab"))(redisclient.Get(dst).Do(ctx, c))
		expect(t, "BITOP OR", int64(6))(redisclient.BitOp(redisclient.BitOperationOr, dst, k1, k2).Do(ctx, c))
		expect(t, "GET OR", some("goofev"))(redisclient.Get(dst).Do(ctx, c))
		expect(t, "BITOP XOR", int64(6))(redisclient.BitOp(redisclient.BitOperationXOr, dst, k1, k2).Do(ctx, c))
		expect(t, "GET XOR", some("\x07\x0d\x0c\x06\x04\x14"))(redisclient.Get(dst).Do(ctx, c))
		expect(t, "BITOP NOT", int64(6))(redisclient.BitOp(redisclient.BitOperationNot, dst, k1).Do(ctx, c))
		expect(t, "GET NOT", some("\x99\x90\x90\x9d\x9e\x8d"))(redisclient.Get(dst).Do(ctx, c))

		// BITFIELD and BITFIELD_RO.
		bf := key(t, "bf")
		expect(t, "BITFIELD INCRBY/GET", []redisclient.Opt[int64]{some[int64](1), some[int64](0)})(
			redisclient.BitField(bf).IncrBy("i5", "100", 1).Get("u4", "0").Do(ctx, c))
		expect(t, "BITFIELD SET", []redisclient.Opt[int64]{some[int64](0), some[int64](0)})(
			redisclient.BitField(bf).Set("u8", "#0", 255).Set("u8", "#1", 200).Do(ctx, c))
		expect(t, "BITFIELD OVERFLOW WRAP/SAT", []redisclient.Opt[int64]{some[int64](1), some[int64](255)})(
			redisclient.BitField(bf).Overflow(redisclient.OverflowWrap).IncrBy("u8", "#0", 2).
				Overflow(redisclient.OverflowSat).IncrBy("u8", "#1", 100).Do(ctx, c))
		expect(t, "BITFIELD OVERFLOW FAIL", []redisclient.Opt[int64]{none[int64]()})(
			redisclient.BitField(bf).Overflow(redisclient.OverflowFail).IncrBy("u8", "#1", 1).Do(ctx, c))
		expect(t, "BITFIELD_RO", []int64{1, 255})(
			redisclient.BitFieldRO(bf).Get("u8", "0").Get("u8", "8").Do(ctx, c))
		// "#N": the N-th u8, as BITFIELD takes it.
		expect(t, "BITFIELD_RO #N", []int64{1, 255})(
			redisclient.BitFieldRO(bf).Get("u8", "#0").Get("u8", "#1").Do(ctx, c))
	})
}
