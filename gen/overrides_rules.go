package gen

// This file is the override table of rules between the options of one
// command that the spec's argument tree does not state (the docs say them
// in prose, the server checks them in code). It is the one source of both
// forms of a command: the planner removes the refused methods from the
// chains' states (plan_rules.go), and the run-time options form refuses the
// same combinations with an OptionError when the command is built
// (plan_options.go planRules). Each entry names the server's check and the
// error it prevents (Redis 8.6.3 sources; Valkey 9.1.2 has the same checks
// for the options it has).

// optionRule is one rule between options of a command. Paths are argument
// paths ("condition.nx"); a path of a choice stands for any of its
// alternatives, and choosing a part of a block chooses the block.
type optionRule struct {
	// Option is the option the rule restricts.
	Option string
	// Excludes are options that cannot be combined with Option, either
	// way round. A required repeated argument stands for its further
	// occurrences (the first is a constructor parameter).
	Excludes []string
	// Needs are options of which one must be present for Option. The
	// chains express it when every one of them comes before Option in
	// the syntax (states offer Option only after one of them); otherwise
	// only the options form checks it.
	Needs []string
	// Why says the rule; it is the Reason of the OptionError.
	Why string
}

// optionRules are the rules by command.
var optionRules = map[string][]optionRule{
	"ZADD": {
		// t_zset.c zaddGenericCommand: "ERR GT, LT, and/or NX options at
		// the same time are not compatible".
		{Option: "condition.nx", Excludes: []string{"comparison"}, Why: "NX cannot be combined with GT or LT"},
		// t_zset.c zaddGenericCommand: "ERR INCR option supports a single
		// increment-element pair". The chains drop ScoreMember after Incr;
		// Incr after ScoreMember or ZAddFrom still compiles.
		{Option: "increment", Excludes: []string{"data"}, Why: "INCR takes a single score and member"},
	},
	"ZRANGE": {
		// t_zset.c zrangeGenericCommand: "ERR syntax error, LIMIT is only
		// supported in combination with either BYSCORE or BYLEX".
		{Option: "limit", Needs: []string{"sortby"}, Why: "LIMIT needs BYSCORE or BYLEX"},
		// t_zset.c zrangeGenericCommand: "ERR syntax error, WITHSCORES not
		// supported in combination with BYLEX".
		{Option: "withscores", Excludes: []string{"sortby.bylex"}, Why: "WITHSCORES cannot be combined with BYLEX"},
	},
	"ZRANGESTORE": {
		// t_zset.c zrangeGenericCommand (shared with ZRANGE): "ERR syntax
		// error, LIMIT is only supported in combination with either
		// BYSCORE or BYLEX".
		{Option: "limit", Needs: []string{"sortby"}, Why: "LIMIT needs BYSCORE or BYLEX"},
	},
	"LCS": {
		// t_string.c lcsCommand: "ERR If you want both the length and
		// indexes, please just use IDX."
		{Option: "len", Excludes: []string{"idx"}, Why: "LEN cannot be combined with IDX"},
		// t_string.c lcsCommand reads MINMATCHLEN and WITHMATCHLEN only
		// for IDX's reply and ignores them otherwise (no error): offered
		// only after IDX, so that a chain never sends an option that does
		// nothing.
		{Option: "min-match-len", Needs: []string{"idx"}, Why: "MINMATCHLEN applies only to IDX"},
		{Option: "withmatchlen", Needs: []string{"idx"}, Why: "WITHMATCHLEN applies only to IDX"},
	},
	"INCREX": {
		// Redis 8.8 docs (INCREX's ENX argument, newer than the servers
		// the suite runs): "Requires one of EX/PX/EXAT/PXAT; cannot be
		// combined with PERSIST."
		{Option: "enx", Needs: []string{"expiration.seconds", "expiration.milliseconds", "expiration.unix-time-seconds", "expiration.unix-time-milliseconds"}, Why: "ENX needs EX, PX, EXAT or PXAT"},
	},
	"GEORADIUS":         geoRadiusStoreRules,
	"GEORADIUSBYMEMBER": geoRadiusStoreRules,
	"XADD": {
		// t_stream.c streamParseAddOrTrimArgsOrReply: "ERR syntax error,
		// LIMIT cannot be used without the special ~ option".
		{Option: "trim.count", Needs: []string{"trim.operator.approximately"}, Why: "LIMIT needs approximate trimming (~)"},
	},
	"XTRIM": {
		// As XADD's (the same parser).
		{Option: "trim.count", Needs: []string{"trim.operator.approximately"}, Why: "LIMIT needs approximate trimming (~)"},
	},
	"FAILOVER": {
		// replication.c failoverCommand accepts ABORT only alone
		// (argc == 2); with other arguments it is "ERR syntax error".
		{Option: "abort", Excludes: []string{"target", "milliseconds"}, Why: "ABORT cannot be combined with TO or TIMEOUT"},
		// replication.c failoverCommand: "ERR FAILOVER with force option
		// requires both a timeout and target HOST and IP." TIMEOUT comes
		// after FORCE, so only the options form checks it.
		{Option: "target.force", Needs: []string{"milliseconds"}, Why: "FORCE needs TIMEOUT"},
	},
	"CLIENT TRACKING": {
		// networking.c clientCommand (TRACKING ON): "ERR OPTIN and OPTOUT
		// are not compatible with BCAST".
		{Option: "bcast", Excludes: []string{"optin", "optout"}, Why: "BCAST cannot be combined with OPTIN or OPTOUT"},
		// networking.c clientCommand (TRACKING ON): "ERR You can't specify
		// both OPTIN mode and OPTOUT mode".
		{Option: "optin", Excludes: []string{"optout"}, Why: "OPTIN cannot be combined with OPTOUT"},
		// networking.c clientCommand (TRACKING ON): "ERR PREFIX option
		// requires BCAST mode to be enabled". BCAST comes after PREFIX,
		// so only the options form checks it.
		{Option: "prefix", Needs: []string{"bcast"}, Why: "PREFIX needs BCAST"},
	},
}

// geoRadiusStoreRules are GEORADIUS's and GEORADIUSBYMEMBER's: geo.c
// georadiusGeneric, "ERR STORE option in GEORADIUS is not compatible with
// WITHDIST, WITHHASH and WITHCOORD options" (STOREDIST too).
var geoRadiusStoreRules = []optionRule{
	{Option: "withcoord", Excludes: []string{"store"}, Why: "WITHCOORD cannot be combined with STORE or STOREDIST"},
	{Option: "withdist", Excludes: []string{"store"}, Why: "WITHDIST cannot be combined with STORE or STOREDIST"},
	{Option: "withhash", Excludes: []string{"store"}, Why: "WITHHASH cannot be combined with STORE or STOREDIST"},
}
