package integration

// Lists, sets and hashes on RESP2 and RESP3.

import (
	"strconv"
	"testing"

	"github.com/redkit-go/redkit/redisclient"
)

func TestLists(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		l, missing := key(t, "l"), key(t, "missing")

		expect(t, "RPUSH", int64(3))(redisclient.RPush(l, "a", "b", "c").Do(ctx, c))
		expect(t, "LPUSH", int64(5))(redisclient.LPush(l, "y", "z").Do(ctx, c))
		expect(t, "LRANGE", []string{"z", "y", "a", "b", "c"})(redisclient.LRange(l, 0, -1).Do(ctx, c))
		expect(t, "LRANGE 1 2", []string{"y", "a"})(redisclient.LRange(l, 1, 2).Do(ctx, c))
		expect(t, "LRANGE missing", []string{})(redisclient.LRange(missing, 0, -1).Do(ctx, c))
		expect(t, "LPUSHX missing", int64(0))(redisclient.LPushX(missing, "x").Do(ctx, c))
		expect(t, "RPUSHX", int64(6))(redisclient.RPushX(l, "d").Do(ctx, c))
		expect(t, "LLEN", int64(6))(redisclient.LLen(l).Do(ctx, c))
		expect(t, "LINDEX", some("a"))(redisclient.LIndex(l, 2).Do(ctx, c))
		expect(t, "LINDEX out of range", none[string]())(redisclient.LIndex(l, 99).Do(ctx, c))

		// Pops with and without counts.
		expect(t, "LPOP", some("z"))(redisclient.LPop(l).Do(ctx, c))
		expect(t, "RPOP", some("d"))(redisclient.RPop(l).Do(ctx, c))
		expect(t, "LPOP 2", []string{"y", "a"})(redisclient.LPop(l).Count(2).Do(ctx, c))
		expect(t, "RPOP 5 (more than there are)", []string{"c", "b"})(redisclient.RPop(l).Count(5).Do(ctx, c))
		expect(t, "LPOP empty", none[string]())(redisclient.LPop(l).Do(ctx, c))
		expect(t, "LPOP missing with count", []string(nil))(redisclient.LPop(missing).Count(2).Do(ctx, c))

		// LINSERT, LSET, LREM, LTRIM.
		expect(t, "RPUSH", int64(3))(redisclient.RPush(l, "Hello", "World", "Hello").Do(ctx, c))
		expect(t, "LINSERT BEFORE", int64(4))(redisclient.LInsert(l, redisclient.InsertPositionBefore, "World", "There").Do(ctx, c))
		expect(t, "LINSERT AFTER", int64(5))(redisclient.LInsert(l, redisclient.InsertPositionAfter, "World", "!").Do(ctx, c))
		expect(t, "LINSERT no pivot", int64(-1))(redisclient.LInsert(l, redisclient.InsertPositionAfter, "nope", "x").Do(ctx, c))
		expect(t, "LRANGE", []string{"Hello", "There", "World", "!", "Hello"})(redisclient.LRange(l, 0, -1).Do(ctx, c))
		ok(t, "LSET")(redisclient.LSet(l, 3, "?").Do(ctx, c))
		serverError[struct{}](t, "LSET out of range", "ERR")(struct{}{}, redisclient.LSet(l, 99, "x").Do(ctx, c))
		expect(t, "LREM", int64(2))(redisclient.LRem(l, 0, "Hello").Do(ctx, c))
		ok(t, "LTRIM")(redisclient.LTrim(l, 0, 1).Do(ctx, c))
		expect(t, "LRANGE after LTRIM", []string{"There", "World"})(redisclient.LRange(l, 0, -1).Do(ctx, c))

		// LPOS (the documentation's list).
		p := key(t, "pos")
		value[int64](t, "RPUSH")(redisclient.RPush(p, "a", "b", "c", "d", "1", "2", "3", "4", "3", "3", "3").Do(ctx, c))
		expect(t, "LPOS", some[int64](6))(redisclient.LPos(p, "3").Do(ctx, c))
		expect(t, "LPOS RANK -1", some[int64](10))(redisclient.LPos(p, "3").Rank(-1).Do(ctx, c))
		expect(t, "LPOS RANK 2", some[int64](8))(redisclient.LPos(p, "3").Rank(2).Do(ctx, c))
		expect(t, "LPOS COUNT 0", []int64{6, 8, 9, 10})(redisclient.LPos(p, "3").Count(0).Do(ctx, c))
		expect(t, "LPOS RANK -1 COUNT 2", []int64{10, 9})(redisclient.LPos(p, "3").Rank(-1).Count(2).Do(ctx, c))
		expect(t, "LPOS COUNT 0 MAXLEN 8", []int64{6})(redisclient.LPos(p, "3").Count(0).MaxLen(8).Do(ctx, c))
		expect(t, "LPOS missing element", none[int64]())(redisclient.LPos(p, "nope").Do(ctx, c))
		expect(t, "LPOS missing element with COUNT", []int64{})(redisclient.LPos(p, "nope").Count(1).Do(ctx, c))

		// LMPOP.
		l1, l2 := key(t, "mp1"), key(t, "mp2")
		value[int64](t, "RPUSH")(redisclient.RPush(l2, "one", "two", "three", "four").Do(ctx, c))
		expect(t, "LMPOP LEFT", &redisclient.KeyElements{Key: l2, Elements: []string{"one"}})(
			redisclient.LMPop(redisclient.SideLeft, l1, l2).Do(ctx, c))
		expect(t, "LMPOP RIGHT COUNT 2", &redisclient.KeyElements{Key: l2, Elements: []string{"four", "three"}})(
			redisclient.LMPop(redisclient.SideRight, l1, l2).Count(2).Do(ctx, c))
		expect(t, "LMPOP on empty lists", (*redisclient.KeyElements)(nil))(
			redisclient.LMPop(redisclient.SideLeft, l1, missing).Do(ctx, c))

		// LMOVE and RPOPLPUSH.
		src, dst := key(t, "src"), key(t, "dst")
		value[int64](t, "RPUSH")(redisclient.RPush(src, "one", "two", "three").Do(ctx, c))
		expect(t, "LMOVE RIGHT LEFT", some("three"))(redisclient.LMove(src, dst, redisclient.SideRight, redisclient.SideLeft).Do(ctx, c))
		expect(t, "LMOVE LEFT RIGHT", some("one"))(redisclient.LMove(src, dst, redisclient.SideLeft, redisclient.SideRight).Do(ctx, c))
		expect(t, "RPOPLPUSH", some("two"))(redisclient.RPopLPush(src, dst).Do(ctx, c))
		expect(t, "RPOPLPUSH empty", none[string]())(redisclient.RPopLPush(src, dst).Do(ctx, c))
		expect(t, "LRANGE src", []string{})(redisclient.LRange(src, 0, -1).Do(ctx, c))
		expect(t, "LRANGE dst", []string{"two", "three", "one"})(redisclient.LRange(dst, 0, -1).Do(ctx, c))
	})
}

func TestSets(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		s1, s2, s3, missing := key(t, "s1"), key(t, "s2"), key(t, "s3"), key(t, "missing")

		expect(t, "SADD", int64(4))(redisclient.SAdd(s1, "a", "b", "c", "d").Do(ctx, c))
		expect(t, "SADD existing", int64(1))(redisclient.SAdd(s1, "a", "e").Do(ctx, c))
		expect(t, "SADD", int64(3))(redisclient.SAdd(s2, "c", "d", "x").Do(ctx, c))
		expect(t, "SADD", int64(2))(redisclient.SAdd(s3, "d", "y").Do(ctx, c))
		expect(t, "SMEMBERS", []string{"a", "b", "c", "d", "e"}, sorted)(redisclient.SMembers(s1).Do(ctx, c))
		expect(t, "SMEMBERS missing", []string{})(redisclient.SMembers(missing).Do(ctx, c))
		expect(t, "SCARD", int64(5))(redisclient.SCard(s1).Do(ctx, c))
		expect(t, "SISMEMBER", true)(redisclient.SIsMember(s1, "a").Do(ctx, c))
		expect(t, "SISMEMBER no", false)(redisclient.SIsMember(s1, "z").Do(ctx, c))
		expect(t, "SMISMEMBER", []bool{true, false, true})(redisclient.SMIsMember(s1, "a", "z", "e").Do(ctx, c))
		expect(t, "SINTER", []string{"c", "d"}, sorted)(redisclient.SInter(s1, s2).Do(ctx, c))
		expect(t, "SINTER three", []string{"d"})(redisclient.SInter(s1, s2, s3).Do(ctx, c))
		expect(t, "SINTER with missing", []string{})(redisclient.SInter(s1, missing).Do(ctx, c))
		expect(t, "SINTERCARD", int64(2))(redisclient.SInterCard(s1, s2).Do(ctx, c))
		expect(t, "SINTERCARD LIMIT 1", int64(1))(redisclient.SInterCard(s1, s2).Limit(1).Do(ctx, c))
		expect(t, "SUNION", []string{"a", "b", "c", "d", "e", "x", "y"}, sorted)(redisclient.SUnion(s1, s2, s3).Do(ctx, c))
		expect(t, "SDIFF", []string{"a", "b", "e"}, sorted)(redisclient.SDiff(s1, s2).Do(ctx, c))
		dst := key(t, "dst")
		expect(t, "SINTERSTORE", int64(2))(redisclient.SInterStore(dst, s1, s2).Do(ctx, c))
		expect(t, "SUNIONSTORE", int64(4))(redisclient.SUnionStore(dst, s2, s3).Do(ctx, c))
		expect(t, "SDIFFSTORE", int64(3))(redisclient.SDiffStore(dst, s1, s2).Do(ctx, c))
		expect(t, "SMEMBERS dst", []string{"a", "b", "e"}, sorted)(redisclient.SMembers(dst).Do(ctx, c))
		expect(t, "SMOVE", true)(redisclient.SMove(s1, s2, "a").Do(ctx, c))
		expect(t, "SMOVE missing member", false)(redisclient.SMove(s1, s2, "zz").Do(ctx, c))
		expect(t, "SREM", int64(2))(redisclient.SRem(s1, "b", "e", "zz").Do(ctx, c))
		expect(t, "SMEMBERS after SREM", []string{"c", "d"}, sorted)(redisclient.SMembers(s1).Do(ctx, c))

		// Random members: check membership and counts.
		r := key(t, "rand")
		members := []string{"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"}
		expect(t, "SADD", int64(10))(redisclient.SAdd(r, members...).Do(ctx, c))
		in := map[string]bool{}
		for _, m := range members {
			in[m] = true
		}
		one := value[redisclient.Opt[string]](t, "SRANDMEMBER")(redisclient.SRandMember(r).Do(ctx, c))
		if !one.Valid || !in[one.Value] {
			t.Errorf("SRANDMEMBER: %+v is not a member", one)
		}
		three := value[[]string](t, "SRANDMEMBER 3")(redisclient.SRandMember(r).Count(3).Do(ctx, c))
		if len(three) != 3 || len(uniq(three)) != 3 {
			t.Errorf("SRANDMEMBER 3: %q, want 3 distinct members", three)
		}
		rep := value[[]string](t, "SRANDMEMBER -20")(redisclient.SRandMember(r).Count(-20).Do(ctx, c))
		if len(rep) != 20 {
			t.Errorf("SRANDMEMBER -20: %d members, want 20 (repetitions allowed)", len(rep))
		}
		for _, m := range append(three, rep...) {
			if !in[m] {
				t.Errorf("SRANDMEMBER returned %q, not a member", m)
			}
		}
		expect(t, "SRANDMEMBER missing", none[string]())(redisclient.SRandMember(missing).Do(ctx, c))
		popped := value[redisclient.Opt[string]](t, "SPOP")(redisclient.SPop(r).Do(ctx, c))
		if !popped.Valid || !in[popped.Value] {
			t.Errorf("SPOP: %+v", popped)
		}
		rest := value[[]string](t, "SPOP 100")(redisclient.SPop(r).Count(100).Do(ctx, c))
		if len(rest) != 9 || len(uniq(append(rest, popped.Value))) != 10 {
			t.Errorf("SPOP 100: %q, want the 9 remaining members", rest)
		}
		expect(t, "SPOP empty", none[string]())(redisclient.SPop(r).Do(ctx, c))
		expect(t, "SPOP empty with count", []string{})(redisclient.SPop(r).Count(2).Do(ctx, c))

		// SSCAN over a large set (listpack -> hashtable).
		big := key(t, "big")
		var want []string
		for i := range 300 {
			want = append(want, "member:"+strconv.Itoa(i))
		}
		expect(t, "SADD 300", int64(300))(redisclient.SAdd(big, want...).Do(ctx, c))
		var got []string
		cursor := "0"
		for {
			page := value[redisclient.ScanPage](t, "SSCAN")(redisclient.SScan(big, cursor).Count(50).Do(ctx, c))
			got = append(got, page.Keys...)
			if cursor = page.Cursor; cursor == "0" {
				break
			}
		}
		expect(t, "SSCAN all members", sortedCopy(want))(sortedCopy(uniq(got)), nil)
		page := value[redisclient.ScanPage](t, "SSCAN MATCH")(redisclient.SScan(s2, "0").Match("x*").Do(ctx, c))
		expect(t, "SSCAN MATCH x*", []string{"x"})(page.Keys, nil)
	})
}

// uniq returns the distinct strings of s, in first-seen order.
func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func TestHashes(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		h, missing := key(t, "h"), key(t, "missing")

		expect(t, "HSET multiple", int64(3))(redisclient.HSet(h, "f1", "v1").FieldValue("f2", "v2").FieldValue("f3", "v3").Do(ctx, c))
		expect(t, "HSET update and add", int64(1))(redisclient.HSet(h, "f1", "v1b").FieldValue("f4", "4").Do(ctx, c))
		expect(t, "HGET", some("v1b"))(redisclient.HGet(h, "f1").Do(ctx, c))
		expect(t, "HGET missing field", none[string]())(redisclient.HGet(h, "nope").Do(ctx, c))
		expect(t, "HGETALL", map[string]string{"f1": "v1b", "f2": "v2", "f3": "v3", "f4": "4"})(redisclient.HGetAll(h).Do(ctx, c))
		expect(t, "HGETALL missing", map[string]string{})(redisclient.HGetAll(missing).Do(ctx, c))
		expect(t, "HMGET", []redisclient.Opt[string]{some("v2"), none[string](), some("4")})(redisclient.HMGet(h, "f2", "nope", "f4").Do(ctx, c))
		expect(t, "HKEYS", []string{"f1", "f2", "f3", "f4"}, sorted)(redisclient.HKeys(h).Do(ctx, c))
		expect(t, "HVALS", []string{"v1b", "v2", "v3", "4"}, sorted)(redisclient.HVals(h).Do(ctx, c))
		expect(t, "HLEN", int64(4))(redisclient.HLen(h).Do(ctx, c))
		expect(t, "HEXISTS", true)(redisclient.HExists(h, "f2").Do(ctx, c))
		expect(t, "HSTRLEN", int64(3))(redisclient.HStrLen(h, "f1").Do(ctx, c))
		expect(t, "HSETNX existing", false)(redisclient.HSetNX(h, "f1", "x").Do(ctx, c))
		expect(t, "HSETNX new", true)(redisclient.HSetNX(h, "f5", "x").Do(ctx, c))
		ok(t, "HMSET")(redisclient.HMSet(h, "m1", "a").FieldValue("m2", "b").Do(ctx, c))
		expect(t, "HDEL", int64(3))(redisclient.HDel(h, "f5", "m1", "m2", "nope").Do(ctx, c))

		// Increments.
		expect(t, "HINCRBY", int64(14))(redisclient.HIncrBy(h, "f4", 10).Do(ctx, c))
		expect(t, "HINCRBY new", int64(-3))(redisclient.HIncrBy(h, "n", -3).Do(ctx, c))
		value[int64](t, "HSET float")(redisclient.HSet(h, "fl", "10.50").Do(ctx, c))
		expect(t, "HINCRBYFLOAT", 10.6)(redisclient.HIncrByFloat(h, "fl", 0.1).Do(ctx, c))
		expect(t, "HINCRBYFLOAT negative", 5.6)(redisclient.HIncrByFloat(h, "fl", -5).Do(ctx, c))
		value[int64](t, "HSET exp float")(redisclient.HSet(h, "fl", "5.0e3").Do(ctx, c))
		expect(t, "HINCRBYFLOAT 2.0e2", 5200.0)(redisclient.HIncrByFloat(h, "fl", 2.0e2).Do(ctx, c))
		serverError[float64](t, "HINCRBYFLOAT on text", "ERR")(redisclient.HIncrByFloat(h, "f1", 1).Do(ctx, c))

		// HRANDFIELD variants.
		r := key(t, "rand")
		fields := map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}
		cmd := redisclient.HSet(r, "a", "1")
		for _, f := range []string{"b", "c", "d", "e"} {
			cmd = cmd.FieldValue(f, fields[f])
		}
		expect(t, "HSET", int64(5))(cmd.Do(ctx, c))
		one := value[redisclient.Opt[string]](t, "HRANDFIELD")(redisclient.HRandField(r).Do(ctx, c))
		if _, in := fields[one.Value]; !one.Valid || !in {
			t.Errorf("HRANDFIELD: %+v is not a field", one)
		}
		expect(t, "HRANDFIELD missing", none[string]())(redisclient.HRandField(missing).Do(ctx, c))
		three := value[[]string](t, "HRANDFIELD 3")(redisclient.HRandField(r).Count(3).Do(ctx, c))
		if len(three) != 3 || len(uniq(three)) != 3 {
			t.Errorf("HRANDFIELD 3: %q, want 3 distinct fields", three)
		}
		all := value[[]string](t, "HRANDFIELD 10")(redisclient.HRandField(r).Count(10).Do(ctx, c))
		expect(t, "HRANDFIELD 10 (all fields)", []string{"a", "b", "c", "d", "e"}, sorted)(all, nil)
		withValues := value[[]redisclient.FieldValue](t, "HRANDFIELD 3 WITHVALUES")(redisclient.HRandField(r).Count(3).WithValues().Do(ctx, c))
		if len(withValues) != 3 {
			t.Errorf("HRANDFIELD 3 WITHVALUES: %d pairs, want 3", len(withValues))
		}
		for _, fv := range withValues {
			if fields[fv.Field] != fv.Value {
				t.Errorf("HRANDFIELD WITHVALUES: pair %+v does not match the hash", fv)
			}
		}
		rep := value[[]redisclient.FieldValue](t, "HRANDFIELD -8 WITHVALUES")(redisclient.HRandField(r).Count(-8).WithValues().Do(ctx, c))
		if len(rep) != 8 {
			t.Errorf("HRANDFIELD -8 WITHVALUES: %d pairs, want 8", len(rep))
		}
		for _, fv := range rep {
			if fields[fv.Field] != fv.Value {
				t.Errorf("HRANDFIELD -8 WITHVALUES: pair %+v does not match the hash", fv)
			}
		}

		// HSCAN over a large hash: pairs come flattened as field, value.
		big := key(t, "big")
		want := map[string]string{}
		hs := redisclient.HSet(big, "field:0", "value:0")
		want["field:0"] = "value:0"
		for i := 1; i < 200; i++ {
			f, v := "field:"+strconv.Itoa(i), "value:"+strconv.Itoa(i)
			hs = hs.FieldValue(f, v)
			want[f] = v
		}
		expect(t, "HSET 200", int64(200))(hs.Do(ctx, c))
		got := map[string]string{}
		cursor := "0"
		for {
			page := value[redisclient.ScanPage](t, "HSCAN")(redisclient.HScan(big, cursor).Count(40).Do(ctx, c))
			if len(page.Keys)%2 != 0 {
				t.Fatalf("HSCAN page has an odd number of elements: %d", len(page.Keys))
			}
			for i := 0; i < len(page.Keys); i += 2 {
				got[page.Keys[i]] = page.Keys[i+1]
			}
			if cursor = page.Cursor; cursor == "0" {
				break
			}
		}
		expect(t, "HSCAN all pairs", want)(got, nil)
		page := value[redisclient.ScanPage](t, "HSCAN MATCH")(redisclient.HScan(h, "0").Match("f[12]").Do(ctx, c))
		gotSmall := map[string]string{}
		for i := 0; i+1 < len(page.Keys); i += 2 {
			gotSmall[page.Keys[i]] = page.Keys[i+1]
		}
		expect(t, "HSCAN MATCH f[12]", map[string]string{"f1": "v1b", "f2": "v2"})(gotSmall, nil)
	})
}
