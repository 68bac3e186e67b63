package cli

// Tests of the unknown-token check: real command lines that servers accept
// must all pass it, and lines with a misspelt or misplaced option must fail
// with the exact message.

import (
	"strings"
	"testing"
)

func TestTokenCheckAcceptsValidLines(t *testing.T) {
	for _, line := range []string{
		// SET with every option, in the documented order and not.
		"SET k v", "set k v nx", "SET k v XX GET", "SET k v EX 10", "SET k v PX 100 NX",
		"SET k v EXAT 1700000000", "SET k v PXAT 1700000000000 XX GET", "SET k v KEEPTTL GET",
		"SET k v GET KEEPTTL", "SET k v EX 10 NX", "SET k v nx ex 10 get", "SET k v NX NX",
		"SET k v IFEQ old", "SET k NX", "SET k EX", "SET NX NX", "SET k v EX NX",
		"GETEX k", "GETEX k PERSIST", "GETEX k EX 5",
		// Values equal to tokens.
		"ZADD WITHSCORES 1 NX", "HSET k EX PX NX XX", "LPUSH k GET SET",
		"ZADD z 1 a", "ZADD z NX CH 1 a 2 b", "ZADD z XX GT CH INCR 1.5 m", "ZADD z CH NX 1 a",
		"ZADD z LT 1 a", "ZADD z -1 -a +inf b",
		"ZRANGE z 0 -1", "ZRANGE z 0 -1 WITHSCORES", "ZRANGE z (1 +inf BYSCORE REV LIMIT 0 10 WITHSCORES",
		"ZRANGE z [a [z BYLEX LIMIT 0 -1", "ZRANGE z 0 -1 WITHSCORES REV", "ZRANGE z +inf -inf BYSCORE REV",
		"ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 0 5", "ZRANGEBYSCORE z -inf +inf LIMIT 0 5 WITHSCORES",
		"ZUNIONSTORE d 2 a b WEIGHTS 1 2 AGGREGATE MAX", "ZINTER 2 a b WITHSCORES",
		"XADD s * f v", "XADD s MAXLEN ~ 1000 * f v", "XADD s MAXLEN = 10 * f v", "XADD s MAXLEN 10 * f v",
		"XADD s NOMKSTREAM * f v", "XADD s NOMKSTREAM MAXLEN ~ 10 LIMIT 5 1-1 f v", "XADD s MINID ~ 0-1 * f v",
		"XADD s MAXLEN 5 NOMKSTREAM * f v", "XADD s 1-* f v a b", "XADD s * MAXLEN 10",
		"XADD s MAXLEN ~ 10 LIMT 5 * f v", // ambiguous: LIMT may be the ID
		"XTRIM s MAXLEN 10", "XTRIM s MINID ~ 0-1 LIMIT 10", "XTRIM s MAXLEN = 0",
		"XREADGROUP GROUP g c STREAMS s >", "XREADGROUP GROUP g c COUNT 10 BLOCK 0 NOACK STREAMS s1 s2 > >",
		"XREADGROUP COUNT 1 GROUP g c STREAMS s 0", "XREAD COUNT 2 STREAMS a b 0 0", "XREAD BLOCK 0 STREAMS s $",
		"XAUTOCLAIM s g c 3600000 0-0", "XAUTOCLAIM s g c 10 0 COUNT 25 JUSTID",
		"XCLAIM s g c 10 1-1 2-2 IDLE 5 RETRYCOUNT 2 FORCE JUSTID", "XGROUP CREATE s g $ MKSTREAM",
		"XGROUP CREATE s g 0 ENTRIESREAD 3", "XINFO STREAM s FULL COUNT 10", "XINFO STREAM s",
		"XSETID s 5-0 ENTRIESADDED 3 MAXDELETEDID 1-0",
		"GEOSEARCH g FROMMEMBER m BYRADIUS 10 km", "GEOSEARCH g FROMLONLAT -73.9 40.7 BYBOX 6 6 km ASC COUNT 5 ANY WITHCOORD WITHDIST WITHHASH",
		"GEOSEARCH g BYRADIUS 10 m FROMMEMBER a", "GEOSEARCH g FROMMEMBER m BYRADIUS 1 mi DESC COUNT 3",
		"GEOSEARCHSTORE d g FROMMEMBER m BYRADIUS 10 km STOREDIST", "GEORADIUS g 15 37 200 km WITHDIST ASC COUNT 2 ANY",
		"GEORADIUS g 15 37 200 km STORE d", "GEOADD g NX CH 13.36 38.11 Palermo", "GEOADD g 13.36 38.11 a 15.08 37.50 b",
		"CLIENT KILL 127.0.0.1:6379", "CLIENT KILL ID 5", "CLIENT KILL TYPE normal SKIPME no",
		"CLIENT KILL USER default ADDR 1.2.3.4:5 MAXAGE 10", "CLIENT KILL LADDR 127.0.0.1:6379 ID 3 TYPE pubsub",
		"CLIENT KILL TYPE slave", "CLIENT LIST TYPE normal", "CLIENT LIST ID 1 2 3", "CLIENT LIST",
		"CLIENT TRACKING on REDIRECT 5 PREFIX a PREFIX b BCAST NOLOOP", "CLIENT TRACKING off", "CLIENT REPLY SKIP",
		"CLIENT NO-EVICT on", "CLIENT SETINFO LIB-NAME redkit", "CLIENT CACHING yes", "CLIENT PAUSE 100 WRITE",
		"SORT k", "SORT k BY w_* LIMIT 0 10 GET # GET o_* DESC ALPHA STORE d", "SORT k ALPHA DESC",
		"SORT k GET # BY nosort", "SORT k STORE d LIMIT 0 1", "SORT_RO k BY w_* GET #",
		"MIGRATE 127.0.0.1 6380 k 0 5000", "MIGRATE 127.0.0.1 6380 \"\" 0 5000 COPY REPLACE KEYS a b",
		"MIGRATE h 1 k 0 10 AUTH pw", "MIGRATE h 1 k 0 10 AUTH2 user pw COPY", "MIGRATE h 1 \"\" 0 10 REPLACE AUTH pw KEYS a",
		"BITFIELD k", "BITFIELD k GET u8 0", "BITFIELD k SET i5 100 1 GET u4 0", "BITFIELD k INCRBY u2 100 1 OVERFLOW SAT INCRBY u2 102 1",
		"BITFIELD k OVERFLOW FAIL SET u8 0 255", "BITFIELD k OVERFLOW SAT", "BITFIELD k OVERFLOW WRAP GET u8 0",
		"BITFIELD_RO k GET u8 0 GET i4 8", "BITCOUNT k", "BITCOUNT k 0 -1", "BITCOUNT k 1 1 BIT", "BITPOS k 1 2 -1 BYTE",
		"LPOS k a", "LPOS k a RANK -1", "LPOS k a COUNT 0 MAXLEN 10", "LPOS k a MAXLEN 10 RANK 2 COUNT 1",
		"OBJECT ENCODING k", "OBJECT FREQ k", "OBJECT IDLETIME k", "OBJECT HELP",
		"FUNCTION RESTORE payload", "FUNCTION RESTORE payload REPLACE", "FUNCTION RESTORE payload FLUSH",
		"FUNCTION LIST LIBRARYNAME lib WITHCODE", "FUNCTION LIST WITHCODE", "FUNCTION FLUSH ASYNC", "FUNCTION DELETE lib",
		"FCALL f 0", "FCALL f 2 a b x y", "EVAL \"return 1\" 0", "EVALSHA abc 1 k arg",
		"SCAN 0", "SCAN 0 MATCH a* COUNT 100 TYPE string", "SCAN 0 TYPE hash MATCH * COUNT 10", "SCAN 0 COUNT 10 COUNT 20",
		"HSCAN h 0 MATCH f* COUNT 5", "HSCAN h 0 NOVALUES", "ZSCAN z 0 MATCH * COUNT 5", "SSCAN s 0 MATCH x",
		"CLUSTER SETSLOT 10 NODE abc", "CLUSTER SETSLOT 10 STABLE", "CLUSTER SETSLOT 10 MIGRATING abc",
		"CLUSTER SETSLOT 10 IMPORTING abc TIMEOUT 10", "CLUSTER RESET HARD", "CLUSTER RESET", "CLUSTER FAILOVER TAKEOVER",
		"CLUSTER ADDSLOTS 1 2 3", "CLUSTER ADDSLOTSRANGE 1 10 20 30", "CLUSTER COUNTKEYSINSLOT 0", "CLUSTER GETKEYSINSLOT 0 10",
		"CLUSTER INFO", "CLUSTER NODES", "CLUSTER SHARDS", "CLUSTER MEET 127.0.0.1 7000", "CLUSTER REPLICATE abc",
		"HELLO", "HELLO 3", "HELLO 3 AUTH default pw SETNAME c", "HELLO 2 SETNAME c", "AUTH pw", "AUTH user pw",
		"EXPIRE k 10", "EXPIRE k 10 NX", "PEXPIRE k 10 GT", "EXPIREAT k 1 LT",
		"COPY a b", "COPY a b DB 1 REPLACE", "COPY a b REPLACE DB 1", "RESTORE k 0 payload REPLACE ABSTTL IDLETIME 1 FREQ 2",
		"LMPOP 2 a b LEFT", "LMPOP 1 a RIGHT COUNT 2", "BLMPOP 0 1 a LEFT COUNT 1", "ZMPOP 1 z MIN COUNT 2",
		"LINSERT l BEFORE p v", "LINSERT l after p v", "LMOVE a b LEFT RIGHT", "BLMOVE a b RIGHT LEFT 0",
		"SINTERCARD 2 a b LIMIT 1", "LCS a b LEN", "LCS a b IDX MINMATCHLEN 4 WITHMATCHLEN",
		"MEMORY USAGE k", "MEMORY USAGE k SAMPLES 0", "CONFIG SET a b c d", "CONFIG GET maxmemory *",
		"ACL SETUSER alice on >pw ~* +@all", "ACL LOG RESET", "ACL CAT",
		"SHUTDOWN NOSAVE", "SHUTDOWN SAVE NOW FORCE", "SHUTDOWN ABORT", "FAILOVER TO h 1 FORCE TIMEOUT 10", "FAILOVER ABORT",
		"SCRIPT FLUSH", "SCRIPT FLUSH SYNC", "SCRIPT LOAD x", "FLUSHALL ASYNC", "FLUSHDB SYNC",
		"COMMAND GETKEYS SET k v", "COMMAND LIST FILTERBY PATTERN x*", "COMMAND DOCS", "COMMAND INFO get set",
		"SUBSCRIBE a b", "PUBLISH c m", "WAIT 1 0", "SRANDMEMBER s -5", "ZRANDMEMBER z 5 WITHSCORES",
		"HSETEX h FIELDS 1 f v", "HSETEX h FNX EX 10 FIELDS 2 a 1 b 2", "HGETEX h PERSIST FIELDS 1 f",
		"HEXPIRE h 10 NX FIELDS 1 f", "RPUSH l -1 -2 --x", "INCRBY n -5",
		"DEBUG SLEEP 0", "LATENCY RESET", "SLOWLOG GET 10", "MONITOR", "PING", "PING hello", "ECHO -x",
		// Arguments a later server added, past the (Redis) arity.
		"SCRIPT DEBUG YES lua", "CLUSTER REPLICATE NO ONE", "SENTINEL FAILOVER m COORDINATED",
		"JSON.DEBUG MEMORY k",
		// Module commands: the check leaves them to the server (FT.CREATE's
		// VECTOR attributes are not in the published argument tree).
		"FT.CREATE idx ON HASH PREFIX 1 doc: SCHEMA title TEXT WEIGHT 5.0 SORTABLE v VECTOR HNSW 6 TYPE FLOAT32 DIM 4 DISTANCE_METRIC COSINE",
		"FT.SEARCH idx @title:hello NOCONTENT LIMIT 0 10 SORTBY title DESC DIALECT 2",
		"FT.AGGREGATE idx * LOAD * GROUPBY 1 @a REDUCE COUNT 0 AS n SORTBY 2 @n DESC",
		"JSON.SET k $ {} NX", "TS.ADD k * 1 LABELS a b",
	} {
		args := splitTestLine(line)
		if err := checkCommandLine(args); err != nil {
			t.Errorf("%s: %v", line, err)
		}
	}
}

// splitTestLine splits on spaces; "" stands for the empty argument.
func splitTestLine(line string) []string {
	args := strings.Fields(line)
	for i, a := range args {
		if a == `""` {
			args[i] = ""
		}
	}
	return args
}

func TestTokenCheckRejectsUnknownTokens(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"SET k v EXX 10", `unknown option "EXX" for SET at argument 4 (counting the command name as 1); expected one of NX, XX, IFEQ, IFNE, IFDEQ, IFDNE, GET, EX, PX, EXAT, PXAT, KEEPTTL` +
			"\nsyntax: SET key value [NX | XX | IFEQ ifeq-value | IFNE ifne-value | IFDEQ ifdeq-digest | IFDNE ifdne-digest] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]"},
		{"set k v ex 10 nxx", `unknown option "nxx" for SET at argument 6 (counting the command name as 1); expected one of NX, XX, IFEQ, IFNE, IFDEQ, IFDNE, GET, EX, PX, EXAT, PXAT, KEEPTTL` +
			"\nsyntax: SET key value [NX | XX | IFEQ ifeq-value | IFNE ifne-value | IFDEQ ifdeq-digest | IFDNE ifdne-digest] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]"},
		{"ZRANGE z 0 -1 WITHSCORE", `unknown option "WITHSCORE" for ZRANGE at argument 5 (counting the command name as 1); expected one of BYSCORE, BYLEX, REV, LIMIT, WITHSCORES` +
			"\nsyntax: ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]"},
		{"CLIENT KILL ID 5 USR x", `unknown option "USR" for CLIENT KILL at argument 5 (counting the command name as 1); expected one of ID, TYPE, USER, ADDR, LADDR, SKIPME, MAXAGE, NAME, IDLE, FLAGS, LIB-NAME, LIB-VER, DB, CAPA, IP, NOT-TYPE, NOT-ID, NOT-USER, NOT-ADDR, NOT-LADDR, NOT-NAME, NOT-FLAGS, NOT-LIB-NAME, NOT-LIB-VER, NOT-DB, NOT-CAPA, NOT-IP`},
		{"SCAN 0 MATCH a* COUNTS 5", `unknown option "COUNTS" for SCAN at argument 5 (counting the command name as 1); expected one of MATCH, COUNT, TYPE`},
		{"XTRIM s MAXLEN ~ 10 LIMT 5", `unknown option "LIMT" for XTRIM at argument 6`},
		{"ZRANDMEMBER z 5 WITHSCORE", `unknown option "WITHSCORE" for ZRANDMEMBER at argument 4 (counting the command name as 1); expected one of WITHSCORES`},
		{"GEORADIUS g 15 37 200 km ANY", `misplaced option "ANY" for GEORADIUS at argument 7`},
		{"LINSERT l AFTR p v", `unknown option "AFTR" for LINSERT at argument 3 (counting the command name as 1); expected one of BEFORE, AFTER` +
			"\nsyntax: LINSERT key <BEFORE | AFTER> pivot element"},
		{"CONFIG GET x", ""},
		{"SCRIPT DEBUG", "wrong number of arguments for SCRIPT DEBUG: 2 given, it takes exactly 3"},
		{"SCRIPT DEBUG YES lua extra", "wrong number of arguments for SCRIPT DEBUG: 5 given, it takes exactly 3"},
		{"CLUSTER REPLICATE NO ONE TWO", "wrong number of arguments for CLUSTER REPLICATE: 5 given, it takes exactly 3"},
		{"FUNCTION FLUSH SYNC now", `unknown option "now" for FUNCTION FLUSH at argument 4 (counting the command name as 1); expected one of ASYNC, SYNC` +
			"\nsyntax: FUNCTION FLUSH [ASYNC | SYNC]"},
		{"BITFIELD_RO k SET u8 0 1", `unknown option "SET" for BITFIELD_RO at argument 3`},
		{"GEOSEARCH g FROMMEMBER m BYRADIUS 10 km STOREDIST", `unknown option "STOREDIST" for GEOSEARCH at argument 8`},
	} {
		err := checkCommandLine(splitTestLine(tc.line))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.line, err)
		case tc.want == "":
		case err == nil:
			t.Errorf("%s: accepted", tc.line)
		case strings.Contains(tc.want, "\nsyntax: ") && err.Error() != tc.want:
			t.Errorf("%s:\n got %q\nwant %q", tc.line, err, tc.want)
		case !strings.HasPrefix(err.Error(), tc.want):
			t.Errorf("%s:\n got %q\nwant prefix %q", tc.line, err, tc.want)
		}
	}
}
