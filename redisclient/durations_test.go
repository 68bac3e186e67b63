package redisclient

// This file checks how durations and times reach the wire: seconds-valued
// options fall back to their millisecond form, other values round up to
// the unit the server takes, negative values pass through, and an option
// that stands in for a required argument (RESTORE ... ABSTTL) replaces it
// without touching copies of the command.

import (
	"testing"
	"time"
)

func TestDurationWire(t *testing.T) {
	at := time.Unix(1700000000, 0)
	for _, c := range []wireCase{
		// A choice with a millisecond form: whole seconds keep EX/EXAT.
		{"SET EX 2s", Set("k", "v").EX(2 * time.Second), []string{"SET", "k", "v", "EX", "2"}},
		{"SET EX 1500ms", Set("k", "v").EX(1500 * time.Millisecond), []string{"SET", "k", "v", "PX", "1500"}},
		{"SET EX 1ns", Set("k", "v").EX(time.Nanosecond), []string{"SET", "k", "v", "PX", "1"}},
		{"SET EX 1500500us", Set("k", "v").EX(1500500 * time.Microsecond), []string{"SET", "k", "v", "PX", "1501"}},
		{"SET NX GET EX 250ms", Set("k", "v").NX().Get().EX(250 * time.Millisecond), []string{"SET", "k", "v", "NX", "GET", "PX", "250"}},
		{"SET EX -2s", Set("k", "v").EX(-2 * time.Second), []string{"SET", "k", "v", "EX", "-2"}},
		{"SET EX -1500ms", Set("k", "v").EX(-1500 * time.Millisecond), []string{"SET", "k", "v", "PX", "-1500"}},
		{"SET EX 0", Set("k", "v").EX(0), []string{"SET", "k", "v", "EX", "0"}},
		{"SET EXAT whole", Set("k", "v").EXAT(at), []string{"SET", "k", "v", "EXAT", "1700000000"}},
		{"SET EXAT 500ms", Set("k", "v").EXAT(at.Add(500 * time.Millisecond)), []string{"SET", "k", "v", "PXAT", "1700000000500"}},
		{"SET EXAT 1us", Set("k", "v").EXAT(at.Add(time.Microsecond)), []string{"SET", "k", "v", "PXAT", "1700000000001"}},
		{"GETEX EX 1500ms", GetEX("k").EX(1500 * time.Millisecond), []string{"GETEX", "k", "PX", "1500"}},
		{"GETEX EXAT 1ms", GetEX("k").EXAT(at.Add(time.Millisecond)), []string{"GETEX", "k", "PXAT", "1700000000001"}},
		{"HSETEX EX 1500ms", HSetEX("h", "f", "v").EX(1500 * time.Millisecond), []string{"HSETEX", "h", "PX", "1500", "FIELDS", "1", "f", "v"}},
		{"HGETEX EX 3s", HGetEX("h", "f").EX(3 * time.Second), []string{"HGETEX", "h", "EX", "3", "FIELDS", "1", "f"}},
		{"HGETEX EX 1500ms", HGetEX("h", "f").EX(1500 * time.Millisecond), []string{"HGETEX", "h", "PX", "1500", "FIELDS", "1", "f"}},
		{"MSETEX EX 1500ms", MSetEX("k", "v").EX(1500 * time.Millisecond), []string{"MSETEX", "1", "k", "v", "PX", "1500"}},

		// No millisecond form: rounded up, never down to 0.
		{"EXPIRE 1500ms", Expire("k", 1500*time.Millisecond), []string{"EXPIRE", "k", "2"}},
		{"EXPIRE 1ns", Expire("k", time.Nanosecond), []string{"EXPIRE", "k", "1"}},
		{"EXPIRE 2s", Expire("k", 2*time.Second), []string{"EXPIRE", "k", "2"}},
		{"EXPIRE -1500ms", Expire("k", -1500*time.Millisecond), []string{"EXPIRE", "k", "-1"}},
		{"EXPIRE -500ms", Expire("k", -500*time.Millisecond), []string{"EXPIRE", "k", "0"}},
		{"SETEX 1500ms", SetEX("k", 1500*time.Millisecond, "v"), []string{"SETEX", "k", "2", "v"}},
		{"HEXPIRE 1500ms", HExpire("h", 1500*time.Millisecond, "f"), []string{"HEXPIRE", "h", "2", "FIELDS", "1", "f"}},
		{"PEXPIRE 1500us", PExpire("k", 1500*time.Microsecond), []string{"PEXPIRE", "k", "2"}},
		{"PEXPIRE 2ms", PExpire("k", 2*time.Millisecond), []string{"PEXPIRE", "k", "2"}},
		{"EXPIREAT whole", ExpireAt("k", at), []string{"EXPIREAT", "k", "1700000000"}},
		{"EXPIREAT 1ns", ExpireAt("k", at.Add(time.Nanosecond)), []string{"EXPIREAT", "k", "1700000001"}},
		{"EXPIREAT before 1970", ExpireAt("k", time.Unix(-1, 500_000_000)), []string{"EXPIREAT", "k", "0"}},
		{"PEXPIREAT 1500us", PExpireAt("k", at.Add(1500*time.Microsecond)), []string{"PEXPIREAT", "k", "1700000000002"}},
		{"CLIENT KILL MAXAGE", ClientKill().MaxAge(90 * time.Second), []string{"CLIENT", "KILL", "MAXAGE", "90"}},
		{"CLIENT PAUSE", ClientPause(1500 * time.Millisecond), []string{"CLIENT", "PAUSE", "1500"}},
		{"XREADGROUP CLAIM", XReadGroup("g", "c", []string{"s"}, ">").Claim(1500 * time.Millisecond), []string{"XREADGROUP", "GROUP", "g", "c", "CLAIM", "1500", "STREAMS", "s", ">"}},
		{"XCLAIM IDLE TIME", XClaim("s", "g", "c", time.Minute, "0-1").Idle(2 * time.Second), []string{"XCLAIM", "s", "g", "c", "60000", "0-1", "IDLE", "2000"}},
		{"XCFGSET IDMP-DURATION", XCfgSet("s").IDMPDuration(90 * time.Second), []string{"XCFGSET", "s", "IDMP-DURATION", "90"}},

		// Fractional seconds are sent as they are.
		{"BLPOP 1500ms", BLPop(1500*time.Millisecond, "l"), []string{"BLPOP", "l", "1.5"}},

		// RESTORE: a relative TTL, or ABSTTL with the time in its place.
		{"RESTORE ttl", Restore("k", 1500*time.Millisecond, "dump"), []string{"RESTORE", "k", "1500", "dump"}},
		{"RESTORE no ttl", Restore("k", 0, "dump").Replace(), []string{"RESTORE", "k", "0", "dump", "REPLACE"}},
		{"RESTORE ABSTTL", Restore("k", 0, "dump").Replace().AbsTTL(at.Add(1500 * time.Microsecond)), []string{"RESTORE", "k", "1700000000002", "dump", "REPLACE", "ABSTTL"}},
		{"RESTORE ABSTTL IDLETIME", Restore("k", time.Hour, "dump").AbsTTL(at).IdleTime(1500 * time.Millisecond), []string{"RESTORE", "k", "1700000000000", "dump", "ABSTTL", "IDLETIME", "2"}},
	} {
		checkWire(t, c)
	}
}

func TestRestoreAbsTTLLeavesCopies(t *testing.T) {
	base := Restore("k", 5*time.Second, "dump")
	abs := base.AbsTTL(time.UnixMilli(1700000000123))
	checkWire(t, wireCase{"base", base, []string{"RESTORE", "k", "5000", "dump"}})
	checkWire(t, wireCase{"abs", abs, []string{"RESTORE", "k", "1700000000123", "dump", "ABSTTL"}})
	checkWire(t, wireCase{"base again", base.Replace(), []string{"RESTORE", "k", "5000", "dump", "REPLACE"}})
}
