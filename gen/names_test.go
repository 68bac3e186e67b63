package gen

import "testing"

func TestCommandFuncName(t *testing.T) {
	for in, want := range map[string]string{
		"SET": "Set", "GET": "Get", "ZRANGEBYSCORE": "ZRangeByScore", "HINCRBYFLOAT": "HIncrByFloat",
		"CONFIG GET": "ConfigGet", "FT.SEARCH": "FTSearch", "GEORADIUS_RO": "GeoRadiusRO",
		"BLMPOP": "BLMPop", "RPOPLPUSH": "RPopLPush", "SMISMEMBER": "SMIsMember", "PEXPIREAT": "PExpireAt",
		"PFADD": "PFAdd", "CLIENT NO-EVICT": "ClientNoEvict", "TDIGEST.BYREVRANK": "TDigestByRevRank",
		"JSON.ARRAPPEND": "JSONArrAppend", "XAUTOCLAIM": "XAutoClaim", "RANDOMKEY": "RandomKey",
		"TOPK.INCRBY": "TopKIncrBy", "LOLWUT": "Lolwut", "PTTL": "PTTL",
	} {
		if got := commandFuncName(in); got != want {
			t.Errorf("commandFuncName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokenAndArgNames(t *testing.T) {
	for in, want := range map[string]string{
		"NX": "NX", "WITHSCORES": "WithScores", "KEEPTTL": "KeepTTL", "NOMKSTREAM": "NoMkStream",
		"EXPIRATION": "Expiration", "FIELDS *": "FieldsAll", "~": "Approx", "MAXLEN": "MaxLen",
	} {
		if got := tokenName(in); got != want {
			t.Errorf("tokenName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"unix-time-seconds": "UnixTimeSeconds", "count-block": "CountBlock", "numkeys": "NumKeys", "9lives": "N9lives",
	} {
		if got := camelName(in); got != want {
			t.Errorf("camelName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"ID": "id", "TTLValue": "ttlValue", "Key": "key", "Type": "type_", "Count": "count"} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}
