package gen

// This file holds the override table's data for core Redis commands, and
// the shared tables (reply structs, tuple shapes, names) used by all.

import "github.com/redkit-go/redkit/spec"

// structDefs are reply structs shared by many commands, decoded from arrays
// by position (Tuple) or from maps by key. Tuple elements missing at the end
// of a reply (older servers) keep their zero values.
var structDefs = map[string]StructDef{
	"ZMember":       {Tuple: true, Fields: []FieldDef{{"Member", "", "string"}, {"Score", "", "float"}}},
	"FieldValue":    {Tuple: true, Fields: []FieldDef{{"Field", "", "string"}, {"Value", "", "string"}}},
	"ScanPage":      {Tuple: true, Fields: []FieldDef{{"Cursor", "", "string"}, {"Keys", "", "[]string"}}},
	"XMessage":      {Tuple: true, Fields: []FieldDef{{"ID", "", "string"}, {"Fields", "", "map[string]string"}}},
	"XClaimMessage": {Tuple: true, Fields: []FieldDef{{"ID", "", "string"}, {"Fields", "", "map[string]string"}, {"Idle", "", "millis"}, {"Deliveries", "", "int"}}},
	"XClaimStream":  {Tuple: true, Fields: []FieldDef{{"Key", "", "string"}, {"Messages", "", "[]XClaimMessage"}}},
	"XStream":       {Tuple: true, Fields: []FieldDef{{"Key", "", "string"}, {"Messages", "", "[]XMessage"}}},
	"KeyZMember":    {Tuple: true, Fields: []FieldDef{{"Key", "", "string"}, {"Member", "", "string"}, {"Score", "", "float"}}},
	"KeyZMembers":   {Tuple: true, Fields: []FieldDef{{"Key", "", "string"}, {"Members", "", "[]ZMember"}}},
	"KeyFlags":      {Tuple: true, Fields: []FieldDef{{"Key", "", "string"}, {"Flags", "", "[]string"}}},
	"KeyElement":    {Tuple: true, Fields: []FieldDef{{"Key", "", "string"}, {"Element", "", "string"}}},
	"KeyElements":   {Tuple: true, Fields: []FieldDef{{"Key", "", "string"}, {"Elements", "", "[]string"}}},
	"RankScore":     {Tuple: true, Fields: []FieldDef{{"Rank", "", "int"}, {"Score", "", "float"}}},
	// LATENCY LATEST: the Unix time of the latest spike and the latest and
	// largest latencies in milliseconds; Valkey 8.1 and later add the sum
	// of the recorded latencies (milliseconds) and their count.
	"LatencyEvent": {Tuple: true, Fields: []FieldDef{{"Event", "", "string"}, {"Timestamp", "", "unixtime"}, {"Latest", "", "millis"}, {"Max", "", "millis"},
		{"Sum", "", "millis"}, {"Count", "", "int"}}, Min: 4},
	// LATENCY HISTORY: the Unix time and the latency in milliseconds.
	"LatencySample": {Tuple: true, Fields: []FieldDef{{"Timestamp", "", "unixtime"}, {"Latency", "", "millis"}}},
	// LATENCY HISTOGRAM: a bucket's upper bound in microseconds and the
	// number of calls at or under it (cumulative), in ascending order.
	"LatencyBucket": {Tuple: true, Fields: []FieldDef{{"UpTo", "", "micros"}, {"Calls", "", "int"}}},
	// SLOWLOG GET: the Unix time the command ran at and its execution time
	// in microseconds.
	"SlowlogEntry": {Tuple: true, Fields: []FieldDef{{"ID", "", "int"}, {"Timestamp", "", "unixtime"}, {"Duration", "", "micros"}, {"Args", "", "[]string"}, {"ClientAddr", "", "string"}, {"ClientName", "", "string"}}},
	// A COMMANDLOG entry: Value is the execution time in microseconds for
	// the slow log, the request's or reply's size in bytes for the
	// large-request and large-reply logs (Valkey 8.1 and later).
	"CommandLogEntry": {Tuple: true, Fields: []FieldDef{{"ID", "", "int"}, {"Time", "", "unixtime"}, {"Value", "", "int"}, {"Args", "", "[]string"}, {"ClientAddr", "", "string"}, {"ClientName", "", "string"}}},
	// A slot migration job of CLUSTER GETSLOTMIGRATIONS (Valkey 9.0 and
	// later); its times are Unix seconds.
	"SlotMigration": {Fields: []FieldDef{
		{"LinkName", "link_name", "string"}, {"Operation", "operation", "string"}, {"SlotRanges", "slot_ranges", "string"},
		{"TargetNode", "target_node", "string"}, {"SourceNode", "source_node", "string"},
		{"CreateTime", "create_time", "unixtime"}, {"LastUpdateTime", "last_update_time", "unixtime"}, {"LastAckTime", "last_ack_time", "unixtime"},
		{"State", "state", "string"}, {"Message", "message", "string"}, {"CowSize", "cow_size", "int"},
	}},
	"WaitAOFReply":    {Tuple: true, Fields: []FieldDef{{"Local", "", "int"}, {"Replicas", "", "int"}}},
	"XAutoClaimReply": {Tuple: true, Fields: []FieldDef{{"Next", "", "string"}, {"Messages", "", "[]XMessage"}, {"Deleted", "", "[]string"}}},
	"XAutoClaimIDs":   {Tuple: true, Fields: []FieldDef{{"Next", "", "string"}, {"IDs", "", "[]string"}, {"Deleted", "", "[]string"}}},
	"XPendingEntry":   {Tuple: true, Fields: []FieldDef{{"ID", "", "string"}, {"Consumer", "", "string"}, {"Idle", "", "millis"}, {"Deliveries", "", "int"}}},
	// XINFO STREAM FULL's pending entries carry the time of the last
	// delivery (Unix milliseconds), where XPENDING's carry the idle time.
	"XStreamGroupPending":    {Tuple: true, Fields: []FieldDef{{"ID", "", "string"}, {"Consumer", "", "string"}, {"DeliveryTime", "", "unixmillis"}, {"Deliveries", "", "int"}}},
	"XPendingConsumer":       {Tuple: true, Fields: []FieldDef{{"Name", "", "string"}, {"Pending", "", "int"}}},
	"XPendingSummary":        {Tuple: true, Fields: []FieldDef{{"Count", "", "int"}, {"Lower", "", "?string"}, {"Upper", "", "?string"}, {"Consumers", "", "[]XPendingConsumer"}}},
	"XStreamConsumerPending": {Tuple: true, Fields: []FieldDef{{"ID", "", "string"}, {"DeliveryTime", "", "unixmillis"}, {"Deliveries", "", "int"}}},
	"MasterDownReply":        {Tuple: true, Fields: []FieldDef{{"Down", "", "bool"}, {"Leader", "", "string"}, {"Epoch", "", "int"}}},
	"CommandDoc": {Fields: []FieldDef{
		{"Summary", "summary", "string"}, {"Since", "since", "string"}, {"Group", "group", "string"},
		{"Complexity", "complexity", "string"}, {"Module", "module", "string"}, {"DocFlags", "doc_flags", "[]string"},
		{"DeprecatedSince", "deprecated_since", "string"}, {"ReplacedBy", "replaced_by", "string"},
		{"History", "history", "[][]string"}, {"Arguments", "arguments", "[]CommandDocArg"},
		{"Subcommands", "subcommands", "map[string]CommandDoc"},
	}},
	"CommandDocArg": {Fields: []FieldDef{
		{"Name", "name", "string"}, {"Type", "type", "string"}, {"DisplayText", "display_text", "string"},
		{"KeySpecIndex", "key_spec_index", "int"}, {"Token", "token", "string"}, {"Summary", "summary", "string"},
		{"Since", "since", "string"}, {"DeprecatedSince", "deprecated_since", "string"}, {"Flags", "flags", "[]string"},
		{"Arguments", "arguments", "[]CommandDocArg"},
	}},
	"CommandDescription": {Tuple: true, Fields: []FieldDef{
		{"Name", "", "string"}, {"Arity", "", "int"}, {"Flags", "", "[]string"}, {"FirstKey", "", "int"},
		{"LastKey", "", "int"}, {"Step", "", "int"}, {"ACLCategories", "", "[]string"}, {"Tips", "", "[]string"},
		{"KeySpecs", "", "[]CommandKeySpec"}, {"Subcommands", "", "[]CommandDescription"},
	}},
	"CommandKeySpec": {Fields: []FieldDef{
		{"Notes", "notes", "string"}, {"Flags", "flags", "[]string"},
		{"BeginSearch", "begin_search", "CommandKeySearch"}, {"FindKeys", "find_keys", "CommandKeySearch"},
	}},
	"CommandKeySearch": {Fields: []FieldDef{{"Type", "type", "string"}, {"Spec", "spec", "map[string]any"}}},
}

// tupleShapes name the fixed-length arrays of reply schemas by the Go
// types of their elements ("streamid" for stream IDs).
var tupleShapes = map[string]string{
	"(string, float64)":                "ZMember",
	"(string, []string)":               "ScanPage",
	"(streamid, []string)":             "XMessage",
	"(streamid, string, int64, int64)": "XStreamGroupPending",
	"(streamid, int64, int64)":         "XStreamConsumerPending",
	"(string, string, int64, int64)":   "XPendingEntry",
}

// handwritten are reply types whose types and decode functions are written
// by hand in redisclient/replies.go: their wire forms are not regular.
var handwritten = map[string]bool{
	"GeoLocation":      true, // [member, dist?, hash?, [lon, lat]?] by which WITH* options were given
	"ConnectedClient":  true, // one "k=v k=v ..." line
	"ConnectedClients": true, // "k=v ..." lines
	"ClusterSlot":      true, // [start, end, [host, port, id, {metadata}], replicas...]
	"ReplicationRole":  true, // shape depends on the node's role
	"LCSMatches":       true, // map with nested position ranges
	"HExpireResult":    true, // a per-field result code of HEXPIRE and its kin
	"HPersistResult":   true, // a per-field result code of HPERSIST
}

// handwrittenAs are hand-written reply types with more than one wire form:
// the name in a type expression selects the decoder (decode<name>), the
// value is the Go type. The TTL family replies with a number of seconds or
// milliseconds, or -1 (no expiry) or -2 (no such key or field), which the
// Go types carry as a state instead.
var handwrittenAs = map[string]string{
	"TTLSeconds":        "TimeToLive",
	"TTLMillis":         "TimeToLive",
	"ExpireTimeSeconds": "ExpiryTime",
	"ExpireTimeMillis":  "ExpiryTime",
}

// enumNames name token choices by their tokens.
var enumNames = map[string]string{
	"LEFT|RIGHT":                          "Side",
	"MIN|MAX":                             "MinMax",
	"YES|NO":                              "YesNo",
	"ON|OFF":                              "OnOff",
	"M|KM|FT|MI":                          "GeoUnit",
	"BEFORE|AFTER":                        "InsertPosition",
	"ASC|DESC":                            "SortOrder",
	"AND|OR|XOR|NOT|DIFF|DIFF1|ANDOR|ONE": "BitOperation",
	"NORMAL|MASTER|SLAVE|REPLICA|PUBSUB":  "ClientType",
	"NORMAL|MASTER|PRIMARY|SLAVE|REPLICA|PUBSUB": "ClientType",
	"SLOW|LARGE-REQUEST|LARGE-REPLY":             "CommandLogType",
	"NORMAL|MASTER|REPLICA|PUBSUB":               "ClientListType",
	"MAXLEN|MINID":                               "TrimStrategy",
	"WRAP|SAT|FAIL":                              "Overflow",
}

// funcNames fix constructor names the word splitter gets wrong.
var funcNames = map[string]string{
	"FCALL":      "FCall",
	"FCALL_RO":   "FCallRO",
	"ACL WHOAMI": "ACLWhoAmI",
}

// tokenNames fix method names the word splitter gets wrong.
var tokenNames = map[string]string{
	"FIELDS *":   "FieldsAll",
	"LOAD *":     "LoadAll",
	"~":          "Approx",
	"=":          "Exact",
	"*":          "Auto",
	"$":          "Last",
	"+":          "Plus",
	"-":          "Minus",
	"KEEPTTL":    "KeepTTL",
	"LADDR":      "LAddr",
	"NOT-LADDR":  "NotLAddr",
	"SKIPME":     "SkipMe",
	"MAXAGE":     "MaxAge",
	"NOMKSTREAM": "NoMkStream",
	"MKSTREAM":   "MkStream",
	"JUSTID":     "JustID",
	"LASTID":     "LastID",
	"NOACK":      "NoAck",
	"IDLETIME":   "IdleTime",
	"ABSTTL":     "AbsTTL",
	"BYSCORE":    "ByScore",
	"BYLEX":      "ByLex",
	"GETNAME":    "GetName",
	"BCAST":      "BCast",
	"MAXLEN":     "MaxLen",
	"MINID":      "MinID",
}

// connStateCommands change the state of the connection they run on (its
// database, protocol, authentication, reply mode, subscriptions, tracking,
// replication role, Lua debugging of its next script): they get
// transport.FlagConnState, and routers refuse them on shared connections.
var connStateCommands = map[string]bool{
	"SELECT": true, "AUTH": true, "HELLO": true, "RESET": true, "QUIT": true, "ASKING": true,
	"READONLY": true, "READWRITE": true, "MONITOR": true, "SYNC": true, "PSYNC": true, "REPLCONF": true,
	"CLIENT REPLY": true, "CLIENT SETNAME": true, "CLIENT SETINFO": true, "CLIENT TRACKING": true,
	"CLIENT CACHING": true, "CLIENT NO-EVICT": true, "CLIENT NO-TOUCH": true,
	"SUBSCRIBE": true, "PSUBSCRIBE": true, "SSUBSCRIBE": true,
	"UNSUBSCRIBE": true, "PUNSUBSCRIBE": true, "SUNSUBSCRIBE": true,

	// SCRIPT DEBUG YES or SYNC makes the connection's next EVAL a debugging
	// session (which ends by closing the connection); the server also
	// refuses it behind pipelined replies.
	"SCRIPT DEBUG": true,
}

// skipCommands get no builder, with the reason reported by `redkit spec
// stats`.
var skipCommands = map[string]string{}

// withScores is the common reply override of sorted-set range commands.
func withScores(trigger string) *Override {
	return &Override{Reply: "[]string", Variants: []VariantOverride{{Name: "WithScores", Triggers: []string{trigger}, Reply: "[]ZMember"}}}
}

// scoreRange makes min and max of score-range commands strings, so that
// exclusive ("(1.5") and infinite ("-inf") bounds can be given.
func scoreRange(o *Override) *Override {
	if o.ArgKinds == nil {
		o.ArgKinds = map[string]GoKind{}
	}
	o.ArgKinds["min"], o.ArgKinds["max"] = KindString, KindString
	return o
}

// floatWeights makes the WEIGHTS of ZUNION/ZINTER-style commands floats
// (the published spec says integer; the server takes any number).
func floatWeights(o *Override) *Override {
	if o.ArgKinds == nil {
		o.ArgKinds = map[string]GoKind{}
	}
	o.ArgKinds["weight"] = KindFloat
	return o
}

// popCount is the reply override of pop commands whose COUNT turns one
// element into a list.
func popCount(trigger string) *Override {
	return &Override{Reply: "?string", Variants: []VariantOverride{{Name: "Count", Triggers: []string{trigger}, Reply: "[]string"}}}
}

// geoRadius is the override of GEORADIUS-style commands: WITH* options give
// locations, STORE gives a count.
func geoRadius(store bool) *Override {
	o := &Override{Reply: "[]string", Variants: []VariantOverride{
		{Name: "WithInfo", Triggers: []string{"withcoord", "withdist", "withhash"}, Reply: "[]GeoLocation"},
	}}
	if store {
		o.Variants = append(o.Variants, VariantOverride{Name: "Store", Triggers: []string{"store"}, Reply: "int"})
	}
	return o
}

// scanCursor makes a SCAN-family cursor a string, as the reply gives it.
func scanCursor() *Override { return &Override{ArgKinds: map[string]GoKind{"cursor": KindString}} }

// blockingOnlyWith marks commands that block only when the BLOCK option is
// given (XREAD, XREADGROUP).
// withVariants adds reply variants to an override.
func withVariants(o *Override, vs ...VariantOverride) *Override {
	o.Variants = append(o.Variants, vs...)
	return o
}

// withReply sets the reply type of an override.
func withReply(o *Override, reply string) *Override {
	o.Reply = reply
	return o
}

func blockingOnlyWith(opt string) *Override {
	return &Override{NoFlags: []string{"FlagBlocking"}, OptionFlags: map[string][]string{opt: {"FlagBlocking"}}}
}

// restoreTTL is the override of RESTORE and RESTORE-ASKING: ttl is a
// duration in milliseconds (0: no expiry), and ABSTTL takes the absolute
// time that then stands in ttl's place, so a Unix time is never passed as
// a duration: Restore(k, 0, dump).AbsTTL(t) sends RESTORE k <t in ms> dump
// ABSTTL.
func restoreTTL(cmd string) *Override {
	return &Override{
		Args:     replaceArg(cmd, "absttl", argTree("absttl", spec.TypeUnixTime, "ABSTTL", "?")),
		ArgKinds: map[string]GoKind{"ttl": KindDurationMs, "absttl": KindTimeMs},
		Replaces: map[string]string{"absttl": "ttl"},
	}
}

// withArgKinds adds parameter kinds to an override.
func withArgKinds(o *Override, kinds map[string]GoKind) *Override {
	if o.ArgKinds == nil {
		o.ArgKinds = map[string]GoKind{}
	}
	for k, v := range kinds {
		o.ArgKinds[k] = v
	}
	return o
}

// coreOverrides, by command name.
//
// Integer arguments that are durations or times but whose names do not say
// so (scalarKind types "seconds", "milliseconds", double "timeout" and
// unix-time arguments by itself) are typed here, so that every duration is
// a time.Duration and every absolute time a time.Time:
//
//   - CLIENT KILL MAXAGE: seconds.
//   - CLIENT PAUSE, WAIT, WAITAOF and MIGRATE timeouts: milliseconds.
//   - RESTORE and RESTORE-ASKING ttl: milliseconds, or a Unix time in
//     milliseconds with ABSTTL (restoreTTL).
//   - XAUTOCLAIM, XCLAIM and XREADGROUP CLAIM min-idle-time, XCLAIM IDLE and
//     XPENDING IDLE: milliseconds.
//
// The Redis 8 and module tables do the same for XCFGSET IDMP-DURATION, the
// search TIMEOUT, MAXIDLE and TEMPORARY options, and the time series
// RETENTION, IGNORE and bucket durations.
var coreOverrides = map[string]*Override{
	// Reply facts the published reply schemas get wrong or type less
	// usefully (integration/reply_types_test.go checks each on the servers):
	// LMOVE replies null when the source list does not exist;
	"LMOVE": {Reply: "?string"},
	// GEOHASH replies null for a member that is not in the set;
	"GEOHASH": {Reply: "[]?string"},
	// GEODIST replies a number as a bulk string (RESP2) or a double, null
	// when a member is missing;
	"GEODIST": {Reply: "?float"},
	// INCRBYFLOAT and HINCRBYFLOAT reply the new value as a bulk string;
	"INCRBYFLOAT":  {Reply: "float"},
	"HINCRBYFLOAT": {Reply: "float"},
	// TYPE always replies a status ("none" for a missing key);
	"TYPE": {Reply: "string"},
	// COMMAND GETKEYSANDFLAGS replies a key and its flags per key;
	"COMMAND GETKEYSANDFLAGS": {Reply: "[]KeyFlags"},
	// TIME replies the server's clock as seconds and microseconds.
	"TIME": {Reply: "servertime"},
	"SET": {
		Reply: "ok",
		Variants: []VariantOverride{
			{Name: "Cond", Triggers: []string{"condition"}, Reply: "bool"},
			{Name: "Get", Triggers: []string{"get"}, Reply: "?string"},
		},
	},
	"ACL LOG": {
		Reply:   "#0",
		Structs: map[string]string{"ACLLogReplyItem": "ACLLogEntry"},
		// The entry's age is a number of seconds with a fraction; its
		// creation and last update (7.2 and later) Unix milliseconds.
		Fields: map[string]FieldOverride{
			"ACLLogEntry.age-seconds":            {Name: "Age", Type: "floatseconds"},
			"ACLLogEntry.timestamp-created":      {Type: "unixmillis"},
			"ACLLogEntry.timestamp-last-updated": {Type: "unixmillis"},
		},
		Variants: []VariantOverride{{Name: "Reset", Triggers: []string{"operation.reset"}, Reply: "ok"}},
	},
	"BZMPOP":   {Reply: "?KeyZMembers"},
	"BLPOP":    {Reply: "?KeyElement"},
	"BRPOP":    {Reply: "?KeyElement"},
	"BLMPOP":   {Reply: "?KeyElements"},
	"LMPOP":    {Reply: "?KeyElements"},
	"ZMPOP":    {Reply: "?KeyZMembers"},
	"BZPOPMAX": {Reply: "?KeyZMember"},
	"BZPOPMIN": {Reply: "?KeyZMember"},
	"ZPOPMAX":  {Reply: "[]ZMember"},
	"ZPOPMIN":  {Reply: "[]ZMember"},
	"CLIENT KILL": {
		// The filter form only: the old "ip:port" form is deprecated and
		// replies differently. Filters combine; each may be given once
		// (the spec's filters, with Valkey's own marked as such).
		Args:     filtersOf("filter.new-format"),
		Reply:    "int",
		ArgKinds: map[string]GoKind{"maxage": KindDurationS, "idle": KindDurationS},
	},
	"RESTORE":              restoreTTL("RESTORE"),
	"RESTORE-ASKING":       restoreTTL("RESTORE-ASKING"),
	"CLUSTER SLOTS":        {Reply: "[]ClusterSlot"},
	"COMMAND DOCS":         {Reply: "map[string]CommandDoc"},
	"COMMAND INFO":         {Reply: "[]?CommandDescription"},
	"EVAL":                 {Reply: "any", Why: "a script returns whatever it computes"},
	"EVALSHA":              {Reply: "any", Why: "a script returns whatever it computes"},
	"EVAL_RO":              {Reply: "any", Why: "a script returns whatever it computes"},
	"EVALSHA_RO":           {Reply: "any", Why: "a script returns whatever it computes"},
	"FCALL":                {Reply: "any", Why: "a function returns whatever it computes"},
	"FCALL_RO":             {Reply: "any", Why: "a function returns whatever it computes"},
	"EXEC":                 {Reply: "[]any", Why: "one reply per queued command, of any type (use Tx for typed results)"},
	"GEORADIUS":            geoRadius(true),
	"GEORADIUSBYMEMBER":    geoRadius(true),
	"GEORADIUS_RO":         geoRadius(false),
	"GEORADIUSBYMEMBER_RO": geoRadius(false),
	"GEOSEARCH":            geoRadius(false),
	"HRANDFIELD": {Reply: "?string", Variants: []VariantOverride{
		{Name: "Count", Triggers: []string{"options"}, Reply: "[]string"},
		{Name: "WithValues", Triggers: []string{"options.withvalues"}, Reply: "[]FieldValue"},
	}},
	"ZRANDMEMBER": {Reply: "?string", Variants: []VariantOverride{
		{Name: "Count", Triggers: []string{"options"}, Reply: "[]string"},
		{Name: "WithScores", Triggers: []string{"options.withscores"}, Reply: "[]ZMember"},
	}},
	"LATENCY LATEST":  {Reply: "[]LatencyEvent"},
	"LATENCY HISTORY": {Reply: "[]LatencySample"},
	// Each command's calls and histogram_usec, a map of buckets (upper
	// bound in microseconds, cumulative calls) in ascending order.
	"LATENCY HISTOGRAM": {Structs: map[string]string{"LatencyHistogramReplyValue": "CommandLatency"},
		Fields: map[string]FieldOverride{"CommandLatency.histogram_usec": {Name: "Buckets", Type: "[]LatencyBucket"}}},
	// The running function's run time so far, in milliseconds.
	"FUNCTION STATS": {Fields: map[string]FieldOverride{"FunctionStatsReplyRunningScript.duration_ms": {Name: "Duration", Type: "millis"}}},
	// The link's creation time, in Unix milliseconds.
	"CLUSTER LINKS": {Fields: map[string]FieldOverride{"ClusterLinksReplyItem.create-time": {Type: "unixmillis"}}},
	// A consumer's idle time since its last attempted interaction, and
	// since its last successful one (7.2 and later; -1 when it never had
	// one), in milliseconds.
	"XINFO CONSUMERS": {Fields: map[string]FieldOverride{
		"XInfoConsumersReplyItem.idle":     {Type: "millis"},
		"XInfoConsumersReplyItem.inactive": {Type: "?millis"},
	}},
	"LCS": {Reply: "string", Variants: []VariantOverride{
		{Name: "Len", Triggers: []string{"len"}, Reply: "int"},
		{Name: "Idx", Triggers: []string{"idx"}, Reply: "LCSMatches"},
	}},
	"LPOP":               popCount("count"),
	"RPOP":               popCount("count"),
	"SPOP":               popCount("count"),
	"SRANDMEMBER":        popCount("count"),
	"LPOS":               {Reply: "?int", Variants: []VariantOverride{{Name: "Count", Triggers: []string{"num-matches"}, Reply: "[]int"}}},
	"PUBSUB NUMSUB":      {Reply: "map[string]int"},
	"PUBSUB SHARDNUMSUB": {Reply: "map[string]int"},
	"ROLE":               {Reply: "ReplicationRole"},
	"SORT": {Reply: "[]?string", Variants: []VariantOverride{{Name: "Store", Triggers: []string{"destination"}, Reply: "int"}},
		ArgKinds: map[string]GoKind{"by-pattern": KindKeyPattern, "get-pattern": KindKeyPattern}},
	// Valkey's CLUSTERSCAN cursor is not a key (NOT_KEY), but its hash
	// tag names the slot being scanned, which only that slot's owner
	// serves (another answers MOVED): the cluster client routes by it,
	// without a key prefix.
	"CLUSTERSCAN":  {ArgKinds: map[string]GoKind{"cursor": KindRouteKey}},
	"SORT_RO":      {ArgKinds: map[string]GoKind{"by-pattern": KindKeyPattern, "get-pattern": KindKeyPattern}},
	"WAITAOF":      {Reply: "WaitAOFReply", ArgKinds: map[string]GoKind{"timeout": KindDurationMs}},
	"WAIT":         {ArgKinds: map[string]GoKind{"timeout": KindDurationMs}},
	"CLIENT PAUSE": {ArgKinds: map[string]GoKind{"timeout": KindDurationMs}},
	"XAUTOCLAIM": {Reply: "XAutoClaimReply", Variants: []VariantOverride{{Name: "JustID", Triggers: []string{"justid"}, Reply: "XAutoClaimIDs"}},
		ArgKinds: map[string]GoKind{"min-idle-time": KindDurationMs}},
	"XCLAIM": {Reply: "[]XMessage", Variants: []VariantOverride{{Name: "JustID", Triggers: []string{"justid"}, Reply: "[]string"}},
		ArgKinds: map[string]GoKind{"min-idle-time": KindDurationMs, "ms": KindDurationMs}},
	"XINFO STREAM": {Reply: "#0", Variants: []VariantOverride{{Name: "Full", Triggers: []string{"full-block"}, Reply: "#1"}},
		Structs: map[string]string{"XInfoStreamReply": "StreamInfo", "XInfoStreamFullReply": "StreamInfoFull"},
		Fields: map[string]FieldOverride{
			// How long an IDMP entry is kept (8.6 and later), in seconds.
			"StreamInfo.idmp-duration":     {Type: "seconds"},
			"StreamInfoFull.idmp-duration": {Type: "seconds"},
			// A consumer's last attempted interaction, and its last
			// successful one (7.2 and later; -1 when it never had one), in
			// Unix milliseconds.
			"StreamInfoFullGroupsItemConsumersItem.seen-time":   {Type: "unixmillis"},
			"StreamInfoFullGroupsItemConsumersItem.active-time": {Type: "?unixmillis"},
		}},
	"XPENDING": {Reply: "XPendingSummary", Variants: []VariantOverride{{Name: "Extended", Triggers: []string{"filters"}, Reply: "[]XPendingEntry"}},
		ArgKinds: map[string]GoKind{"filters.min-idle-time": KindDurationMs}},
	"ZADD":        {Reply: "int", Variants: []VariantOverride{{Name: "Incr", Triggers: []string{"increment"}, Reply: "?float"}}},
	"ZDIFF":       withScores("withscores"),
	"ZINTER":      floatWeights(withScores("withscores")),
	"ZUNION":      floatWeights(withScores("withscores")),
	"ZINTERSTORE": floatWeights(&Override{}),
	"ZUNIONSTORE": floatWeights(&Override{}),
	"ZINCRBY":     {ArgKinds: map[string]GoKind{"increment": KindFloat}},
	// TOUCH is called for its effect on access times, not its reply.
	"TOUCH":            {NoFlags: []string{"FlagCacheable"}},
	"ZRANGE":           withScores("withscores"),
	"ZREVRANGE":        withScores("withscores"),
	"ZRANGEBYSCORE":    scoreRange(withScores("withscores")),
	"ZREVRANGEBYSCORE": scoreRange(withScores("withscores")),
	"ZCOUNT":           scoreRange(&Override{}),
	"ZREMRANGEBYSCORE": scoreRange(&Override{}),
	"ZRANK":            {Reply: "?int", Variants: []VariantOverride{{Name: "WithScore", Triggers: []string{"withscore"}, Reply: "?RankScore"}}},
	"ZREVRANK":         {Reply: "?int", Variants: []VariantOverride{{Name: "WithScore", Triggers: []string{"withscore"}, Reply: "?RankScore"}}},
	"SLOWLOG GET":      {Reply: "[]SlowlogEntry"},
	"SENTINEL CONFIG": {
		// SET or GET, each of one or more parameters (7.2 and later; one
		// before).
		Args: []*spec.Argument{argTree("action", spec.TypeOneOf, "", "?",
			argTree("set", spec.TypeBlock, "SET", "", argTree("parameter", spec.TypeString, "", ""), argTree("value", spec.TypeString, "", ""),
				argTree("more", spec.TypeBlock, "", "?*", argTree("parameter", spec.TypeString, "", ""), argTree("value", spec.TypeString, "", ""))),
			argTree("get", spec.TypeBlock, "GET", "", argTree("parameter", spec.TypeString, "", ""), argTree("more", spec.TypeString, "", "?*")))},
		Names:    map[string]string{"action.set.more": "ParameterValue", "action.get.more": "Parameters"},
		Reply:    "ok",
		Variants: []VariantOverride{{Name: "Get", Triggers: []string{"action.get"}, Reply: "map[string]string"}},
	},
	"SENTINEL DEBUG":                  {Reply: "map[string]string", Variants: []VariantOverride{{Name: "Set", Triggers: []string{"data"}, Reply: "ok"}}},
	"SENTINEL SIMULATE-FAILURE":       {Reply: "ok", Variants: []VariantOverride{{Name: "Help", Triggers: []string{"mode.help"}, Reply: "[]string"}}},
	"SENTINEL INFO-CACHE":             {Reply: "any", Why: "a dump of cached INFO output whose layout varies by version"},
	"SENTINEL IS-MASTER-DOWN-BY-ADDR": {Reply: "MasterDownReply"},
	// Valkey's name of SENTINEL IS-MASTER-DOWN-BY-ADDR, same reply.
	"SENTINEL IS-PRIMARY-DOWN-BY-ADDR": {Reply: "MasterDownReply"},
	"COMMANDLOG GET":                   {Reply: "[]CommandLogEntry"},
	"CLUSTER GETSLOTMIGRATIONS":        {Reply: "[]SlotMigration"},
	// Valkey waits up to TIMEOUT milliseconds for the replicas to ack the
	// slot change.
	"CLUSTER SETSLOT": {ArgKinds: map[string]GoKind{"timeout": KindDurationMs}},
	"MONITOR":         {Reply: "ok"},
	"SYNC":            {Reply: "any", Why: "the start of a replication stream, not a reply"},
	"PSYNC":           {Reply: "any", Why: "the start of a replication stream, not a reply"},
	"DEBUG":           {Reply: "any", Why: "each DEBUG subcommand replies differently"},
	"PFDEBUG":         {Reply: "any", Why: "each PFDEBUG subcommand replies differently"},
	"SUBSCRIBE":       {Reply: "any", Why: "confirmations arrive as push messages; use the subscriber"},
	"PSUBSCRIBE":      {Reply: "any", Why: "confirmations arrive as push messages; use the subscriber"},
	"SSUBSCRIBE":      {Reply: "any", Why: "confirmations arrive as push messages; use the subscriber"},
	"UNSUBSCRIBE":     {Reply: "any", Why: "confirmations arrive as push messages; use the subscriber"},
	"PUNSUBSCRIBE":    {Reply: "any", Why: "confirmations arrive as push messages; use the subscriber"},
	"SUNSUBSCRIBE":    {Reply: "any", Why: "confirmations arrive as push messages; use the subscriber"},
	"SCAN":            {ArgKinds: map[string]GoKind{"cursor": KindString}},
	"HSCAN":           {ArgKinds: map[string]GoKind{"cursor": KindString}},
	"SSCAN":           {ArgKinds: map[string]GoKind{"cursor": KindString}},
	"ZSCAN":           {ArgKinds: map[string]GoKind{"cursor": KindString}},
	// XREAD and XREADGROUP reply the streams in the order they were asked
	// for (a map in RESP3, pairs in RESP2), null when BLOCK timed out.
	"XREAD": withReply(blockingOnlyWith("milliseconds"), "?[]XStream"),
	// With CLAIM (8.4) every entry also carries the time since its last
	// delivery and its delivery count.
	"XREADGROUP": withVariants(withReply(withArgKinds(blockingOnlyWith("milliseconds"), map[string]GoKind{"min-idle-time": KindDurationMs}), "?[]XStream"),
		VariantOverride{Name: "Claim", Triggers: []string{"min-idle-time"}, Reply: "?[]XClaimStream"}),
	"XADD": {
		// The ID is "*" (server-chosen) or an explicit ID: a plain string.
		Args: replaceArg("XADD", "id-selector", argTree("id", spec.TypeString, "", "")),
	},
	"XGROUP CREATE": {Args: replaceArg("XGROUP CREATE", "id-selector", argTree("id", spec.TypeString, "", ""))},
	"XGROUP SETID":  {Args: replaceArg("XGROUP SETID", "id-selector", argTree("id", spec.TypeString, "", ""))},
	"MIGRATE": {
		// A key, or "" when KEYS lists them.
		Args:     replaceArg("MIGRATE", "key-selector", argTree("key", spec.TypeKey, "", "")),
		ArgKinds: map[string]GoKind{"timeout": KindDurationMs},
	},
	// BITFIELD_RO's GET takes the same offsets as BITFIELD's, "#N" (the
	// N-th field of the encoding's width) included.
	"BITFIELD_RO": {ArgKinds: map[string]GoKind{"get-block.offset": KindString}},
	"BITFIELD": {
		// Operations in any order and number: GET, SET, INCRBY and OVERFLOW
		// (which applies to the SET and INCRBY after it).
		Args: []*spec.Argument{
			argTree("key", spec.TypeKey, "", ""),
			argTree("operation", spec.TypeOneOf, "", "?*",
				argTree("get", spec.TypeBlock, "GET", "", argTree("encoding", spec.TypeString, "", ""), argTree("offset", spec.TypeString, "", "")),
				argTree("set", spec.TypeBlock, "SET", "", argTree("encoding", spec.TypeString, "", ""), argTree("offset", spec.TypeString, "", ""), argTree("value", spec.TypeInteger, "", "")),
				argTree("incrby", spec.TypeBlock, "INCRBY", "", argTree("encoding", spec.TypeString, "", ""), argTree("offset", spec.TypeString, "", ""), argTree("increment", spec.TypeInteger, "", "")),
				argTree("overflow", spec.TypeOneOf, "OVERFLOW", "",
					argTree("wrap", spec.TypePureToken, "WRAP", ""), argTree("sat", spec.TypePureToken, "SAT", ""), argTree("fail", spec.TypePureToken, "FAIL", ""))),
		},
		Reply: "[]?int",
	},
	"CLIENT INFO": {Reply: "ConnectedClient"},
	// Expiries: durations and times with their "no key" and "no expiry"
	// states, never sentinel integers.
	"TTL":          {Reply: "TTLSeconds"},
	"PTTL":         {Reply: "TTLMillis"},
	"EXPIRETIME":   {Reply: "ExpireTimeSeconds"},
	"PEXPIRETIME":  {Reply: "ExpireTimeMillis"},
	"HTTL":         {Reply: "[]TTLSeconds"},
	"HPTTL":        {Reply: "[]TTLMillis"},
	"HEXPIRETIME":  {Reply: "[]ExpireTimeSeconds"},
	"HPEXPIRETIME": {Reply: "[]ExpireTimeMillis"},
	"HEXPIRE":      {Reply: "[]HExpireResult"},
	"HPEXPIRE":     {Reply: "[]HExpireResult"},
	"HEXPIREAT":    {Reply: "[]HExpireResult"},
	"HPEXPIREAT":   {Reply: "[]HExpireResult"},
	"HPERSIST":     {Reply: "[]HPersistResult"},
	"LASTSAVE":     {Reply: "unixtime"},
	// They are null when the key does not exist.
	"OBJECT IDLETIME": {Reply: "?seconds"},
	"OBJECT FREQ":     {Reply: "?int"},
	"OBJECT REFCOUNT": {Reply: "?int"},
	"CLIENT LIST":     {Reply: "ConnectedClients", ArgKinds: map[string]GoKind{"maxage": KindDurationS, "idle": KindDurationS}},
}
