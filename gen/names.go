package gen

// This file is part of the planning layer: it turns Redis names (commands,
// tokens, argument names) into Go identifiers.

import (
	"strings"
	"unicode"
)

// words is the dictionary used to split run-together Redis names such as
// ZRANGEBYSCORE or WITHSCORES into Go words (ZRangeByScore, WithScores). It
// holds single words only; compounds are found by segmentation.
var words = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
	ABORT ABS ACCESS ACK ACKED ACL ADD ADDR ADHOC AFTER AGGREGATE AGGREGATION ALIAS ALIGN ALL ALPHA ALTER AND ANY APPEND APPLY APPROX ARGS ARR AS ASC ASKING ASYNC AT ATTR ATTRIBS AUTH AVG
	BACKUP BATCH BATCHES BCAST BEFORE BETA BG BIT BLOCK BUCKET BULK BUMP BUS BY BYTE
	CACHING CANCEL CAPACITY CARD CAS CAT CDF CH CHANNEL CHANNELS CHUNK CLAIM CLEAN CLEANUP CLEAR CLIENT CLUSTER CODE COLLECT COMBINE COMMAND COMPACT COMPRESSED COMPRESSION CONFIG CONSTANT CONSUMER CONSUMERS COORD COPY COUNT CREATE CURSOR
	DB DEBUG DECR DEL DELETE DELETED DESC DESTROY DIALECT DICT DIFF DIGEST DIM DISABLE DISCARD DIST DISTANCE DOCTOR DOCS DROP DRY DUMP DUPLICATE DUPLICATES
	ECHO EF ELE EMB EMPTY ENABLE ENCODING END ENTRIES ENX EPOCH EVAL EVICT EX EXAT EXACT EXACTLY EXCLUDE EXEC EXISTS EXPAND EXPANDER EXPANSION EXPIRE EXPLAIN
	FAIL FAILOVER FAILURE FIELD FIELDS FILTER FIRST FLOAT FLUSH FNX FORCE FORGET FORMAT FRAGS FREQ FROM FULL FUNCTION FXX
	GEN GEO GET GLOB GRAPH GROUP GROUPS GT
	HASH HELP HIGHLIGHT HISTOGRAM HISTORY HOTKEYS HYBRID
	ID IDLE IDMP IDS IDX IF IGNORE IMPORT IMPORTING IN INCLUDE INCR INDEX INFO INIT INKEYS INORDER INSERT INTER IS ITEMS
	JUST KEEP KEY KEYS KILL
	LABELS LADDR LANGUAGE LAST LATENCY LATEST LEN LEX LIB LIMIT LINKS LIST LOAD LOG LT
	MALLOC MASTER MASTERS MATCH MAX MAXAGE MEET MEMBER MEMBERS MEMORY MERGE MID MIGRATE MIGRATING MIGRATION MIN MK MODULE MONITOR MOVE MULT MY
	NAME NEXT NO NODE NODES NORMAL NOT NOW NUM NX
	OBJ OBJECT OFF ON ONE ONLY OP OR ORDER OVERFLOW OVERRIDE OW
	PARAMS PASS PATH PATTERN PAUSE PAYLOAD PAYLOADS PENDING PERSIST PING POLICY POP POS POW PREFIX PREPARE PROB PROFILE PUBLISH PUBSUB PURGE PUSH PX PXAT
	QUANTILE QUERY QUIT QUORUM
	RADIUS RAND RANDOM RANGE RANK READ READY RECORD REDIRECT REF REFCOUNT REFRESH REM REMOVE RENAME REPLACE REPLICA REPLICAS REPLICATE REPLY RESERVE RESET RESP RESTORE RETENTION RETURN REV REWRITE RING RO ROLE RULE RUN
	SAFE SAMPLE SAT SAVE SCAN SCHEMA SCORE SCORES SCRIPT SCRIPTS SEAL SEARCH SEEK SELECT SELF SENTINELS SEPARATOR SET SETS SHARD SHARDS SHUTDOWN SIM SIMULATE SIZE SKIP SLAVE SLAVES SLOP SLOT SLOTS SLOWLOG SORT SORTABLE SPELL CHECK STAT STATS STATUS STOP STORE STREAM STREAMS STRING STR SUB SUBSCRIBE SUFFIX SUG SUM SWAP SYN SYNC
	TAG TAGS TAKEOVER TEST TEXT TIME TIMEOUT TIMESTAMP TO TOGGLE TOUCH TRACKING TRIE TRIM TRIMMED TRUTH TTL TYPE
	UNBLOCK UNF UNION UNLINK UNLOAD UNPAUSE UNSUBSCRIBE UNWATCH UPDATE USAGE USED USER USERS
	VAL VALS VALUE VALUES VECTOR VER VERBATIM VERSION
	WAIT WATCH WEIGHTS WHO AMI WINDOW WITH WRAP WRITE
	XX LENGTH BYTES CLIENTS FUNCTIONS BACKLOG BOX PROTO OPT INT ADDED FILTERS RETRY BITS SAMPLES LOOP OUT LIBRARY SOURCE BOUND DEL EQ NE DEQ DNE GREP PAT LON LAT REDIR AUTO CFG NACK CLI FLAGS HOT OF REPL CONF GC PF AR MIGRATIONS SHOW PRIMARY PRIMARIES CAPA POLYGON VERTICES COORDINATED ENGINE ENGINES SLOW LARGE COMMANDS MODULES SELECTOR SELECTORS FREQS`) {
		m[w] = true
	}
	return m
}()

// letters are single-letter name parts (data-type prefixes such as the Z of
// ZADD, or the L of RPOPLPUSH) that segmentation may use, at a higher cost
// than words.
var letters = map[byte]bool{'B': true, 'L': true, 'R': true, 'Z': true, 'H': true, 'S': true, 'X': true, 'P': true, 'M': true, 'V': true, 'N': true}

// modulePrefixes render the module part of dotted command names.
var modulePrefixes = map[string]string{
	"TDIGEST": "TDigest", "TOPK": "TopK", "CMS": "CMS", "BF": "BF", "CF": "CF", "FT": "FT",
	"TS": "TS", "JSON": "JSON", "SEARCH": "Search", "TIMESERIES": "Timeseries",
}

// initialisms stay upper case in Go names.
var initialisms = map[string]bool{
	"ACL": true, "ID": true, "IDS": true, "TTL": true, "DB": true, "NX": true, "XX": true, "EX": true,
	"PX": true, "GT": true, "LT": true, "CH": true, "RO": true, "JSON": true, "EXAT": true, "PXAT": true,
	"IDMP": true, "LCS": true, "CDF": true, "KM": true, "FT": true, "MI": true, "TS": true, "BF": true,
	"CF": true, "CMS": true, "IDX": true, "CAS": true, "EF": true, "UNF": true, "OW": true, "FNX": true,
	"FXX": true, "ENX": true, "BSON": true, "FP16": true, "FP32": true, "FP64": true, "BF16": true, "Q8": true,
	"IP": true, "KNN": true, "RRF": true, "SHA": true, "AOF": true, "OK": true, "RDB": true, "LRU": true, "LFU": true, "CPU": true, "AR": true, "PF": true, "GC": true,
}

// splitWords segments an upper-case run-together name into dictionary
// words and single letters, preferring fewer parts and words over letters.
// It returns nil when no segmentation covers the whole name.
func splitWords(s string) []string {
	const inf = 1 << 30
	n := len(s)
	cost := make([]int, n+1)
	prev := make([]int, n+1)
	for i := 1; i <= n; i++ {
		cost[i] = inf
	}
	for i := 0; i < n; i++ {
		if cost[i] == inf {
			continue
		}
		for j := i + 1; j <= n; j++ {
			c := inf
			switch {
			case words[s[i:j]] || initialisms[s[i:j]] || pluralInitialisms[s[i:j]] != "":
				c = 10
			case j == i+1 && letters[s[i]]:
				c = 16
			}
			if c < inf && cost[i]+c < cost[j] {
				cost[j], prev[j] = cost[i]+c, i
			}
		}
	}
	if cost[n] == inf {
		return nil
	}
	var out []string
	for j := n; j > 0; j = prev[j] {
		out = append([]string{s[prev[j]:j]}, out...)
	}
	return out
}

// pluralInitialisms are initialisms in the plural, written as Go writes
// them (IIDs, not IIDS or Iids).
var pluralInitialisms = map[string]string{"PIDS": "PIDs", "IIDS": "IIDs", "VMS": "VMs"}

// goWord renders one upper-case word in Go style.
func goWord(w string) string {
	if initialisms[w] {
		return w
	}
	if p, ok := pluralInitialisms[w]; ok {
		return p
	}
	if w == "" {
		return ""
	}
	return w[:1] + strings.ToLower(w[1:])
}

// pieces splits a name on separators (space, '-', '_', '.', ':') and
// upper-cases the pieces.
func pieces(name string) []string {
	f := strings.FieldsFunc(name, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r))
	})
	for i := range f {
		f[i] = strings.ToUpper(f[i])
	}
	return f
}

// camelPiece renders one separator-free piece: segmented into words when
// the dictionary covers it (WITHSCORES -> WithScores), else one word
// (EXPIRATION -> Expiration).
func camelPiece(p string) string {
	ws := splitWords(p)
	if ws == nil {
		return goWord(p)
	}
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(goWord(w))
	}
	return b.String()
}

// commandFuncName returns the Go name of a command's constructor:
// "ZRANGEBYSCORE" -> "ZRangeByScore", "CONFIG GET" -> "ConfigGet",
// "FT.SEARCH" -> "FTSearch", "GEORADIUS_RO" -> "GeoRadiusRO".
func commandFuncName(name string) string {
	if n, ok := lookupTable(funcNameTables, name); ok {
		return n
	}
	var b strings.Builder
	for i, p := range pieces(name) {
		if m, ok := modulePrefixes[p]; ok && i == 0 && strings.Contains(name, ".") {
			b.WriteString(m)
			continue
		}
		b.WriteString(camelPiece(p))
	}
	return b.String()
}

// camelName turns a spec name ("count-block", "unix-time-seconds",
// "numkeys") into an exported Go name.
func camelName(name string) string {
	var b strings.Builder
	for _, p := range pieces(name) {
		b.WriteString(camelPiece(p))
	}
	s := b.String()
	if s == "" {
		return "X"
	}
	if !unicode.IsLetter(rune(s[0])) {
		s = "N" + s
	}
	return s
}

// tokenName turns a token into a method name: "NX" -> "NX",
// "WITHSCORES" -> "WithScores", "FIELDS *" -> "FieldsAll".
func tokenName(tok string) string {
	if n, ok := lookupTable(tokenNameTables, tok); ok {
		return n
	}
	return camelName(tok)
}

// lowerFirst makes a Go parameter name from an exported name.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	// Keep leading initialisms lower: "ID" -> "id", "TTLValue" -> "ttlValue".
	r := []rune(s)
	i := 0
	for i < len(r) && unicode.IsUpper(r[i]) {
		i++
	}
	switch {
	case i == 0:
	case i == 1 || i == len(r):
		for j := 0; j < i; j++ {
			r[j] = unicode.ToLower(r[j])
		}
	default:
		for j := 0; j < i-1; j++ {
			r[j] = unicode.ToLower(r[j])
		}
	}
	out := string(r)
	if goKeywords[out] {
		return out + "_"
	}
	return out
}

var goKeywords = map[string]bool{
	"break": true, "case": true, "chan": true, "const": true, "continue": true, "default": true,
	"defer": true, "else": true, "fallthrough": true, "for": true, "func": true, "go": true, "goto": true,
	"if": true, "import": true, "interface": true, "map": true, "package": true, "range": true,
	"return": true, "select": true, "struct": true, "switch": true, "type": true, "var": true,
	// Predeclared names and package names used by generated code.
	"string": true, "int": true, "len": true, "cap": true, "new": true, "time": true, "ctx": true,
	"c": true, "b": true, "d": true, "err": true, "transport": true, "resp": true, "context": true, "min": true, "max": true,
}
