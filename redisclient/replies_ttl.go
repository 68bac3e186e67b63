package redisclient

// This file holds the reply types of the commands that report expiries:
// TTL and PTTL (TimeToLive), EXPIRETIME and PEXPIRETIME (ExpiryTime), their
// per-field hash counterparts HTTL, HPTTL, HEXPIRETIME and HPEXPIRETIME,
// and the per-field results of HEXPIRE and its kin and of HPERSIST. The
// server's sentinel integers (-1: no expiry, -2: no such key or field)
// become named states, so no caller compares against magic numbers; RESP2
// and RESP3 send the same integers.

import (
	"strconv"
	"time"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport/resp"
)

// ExpiryState says whether a key (or a hash field) exists and whether it
// expires. The zero value is ExpiryNoKey.
type ExpiryState uint8

// Values of ExpiryState.
const (
	// ExpiryNoKey: the key does not exist; for hash fields, the field (or
	// the whole hash) does not. The server replies -2.
	ExpiryNoKey ExpiryState = iota
	// ExpiryNone: it exists and does not expire. The server replies -1.
	ExpiryNone
	// ExpirySet: it exists and expires; the reply says when.
	ExpirySet
)

// String names the state.
func (s ExpiryState) String() string {
	switch s {
	case ExpiryNoKey:
		return "no key"
	case ExpiryNone:
		return "no expiry"
	case ExpirySet:
		return "expires"
	}
	return "ExpiryState(" + strconv.Itoa(int(s)) + ")"
}

// TimeToLive is the time a key or hash field has left: the reply of TTL and
// PTTL, and of HTTL and HPTTL for each field.
type TimeToLive struct {
	// Duration is the time left when State is ExpirySet, and zero
	// otherwise. TTL and HTTL report whole seconds, PTTL and HPTTL whole
	// milliseconds. A remaining time beyond time.Duration's range (about
	// 292 years) is the largest time.Duration.
	Duration time.Duration
	// State says whether the key exists and expires.
	State ExpiryState
}

// Exists reports whether the key (or hash field) exists.
func (t TimeToLive) Exists() bool { return t.State != ExpiryNoKey }

// HasExpiry reports whether it exists and expires: Duration then holds
// the time left.
func (t TimeToLive) HasExpiry() bool { return t.State == ExpirySet }

// String renders the time left or the state.
func (t TimeToLive) String() string {
	if t.State == ExpirySet {
		return t.Duration.String()
	}
	return t.State.String()
}

// ExpiryTime is when a key or hash field expires: the reply of EXPIRETIME
// and PEXPIRETIME, and of HEXPIRETIME and HPEXPIRETIME for each field.
type ExpiryTime struct {
	// Time is the absolute expiry time when State is ExpirySet, and the
	// zero time otherwise. EXPIRETIME and HEXPIRETIME report whole
	// seconds, PEXPIRETIME and HPEXPIRETIME whole milliseconds.
	Time time.Time
	// State says whether the key exists and expires.
	State ExpiryState
}

// Exists reports whether the key (or hash field) exists.
func (t ExpiryTime) Exists() bool { return t.State != ExpiryNoKey }

// HasExpiry reports whether it exists and expires: Time then holds when.
func (t ExpiryTime) HasExpiry() bool { return t.State == ExpirySet }

// String renders the expiry time or the state.
func (t ExpiryTime) String() string {
	if t.State == ExpirySet {
		return t.Time.String()
	}
	return t.State.String()
}

// expiryState decodes the integer of a TTL-like reply: its state, and the
// value itself when it is not a sentinel.
func expiryState(v resp.Value) (int64, ExpiryState, error) {
	n, err := cmdimpl.DecodeInt(v)
	switch {
	case err != nil:
		return 0, ExpiryNoKey, err
	case n >= 0:
		return n, ExpirySet, nil
	case n == -1:
		return 0, ExpiryNone, nil
	case n == -2:
		return 0, ExpiryNoKey, nil
	}
	return 0, ExpiryNoKey, cmdimpl.Unexpected(v, "a non-negative integer, -1 (no expiry) or -2 (no key)")
}

func decodeTTLIn(v resp.Value, unit time.Duration) (TimeToLive, error) {
	n, st, err := expiryState(v)
	if err != nil || st != ExpirySet {
		return TimeToLive{State: st}, err
	}
	return TimeToLive{Duration: cmdimpl.DurationOf(n, unit), State: ExpirySet}, nil
}

// decodeTTLSeconds decodes TTL and HTTL replies (seconds).
func decodeTTLSeconds(v resp.Value) (TimeToLive, error) { return decodeTTLIn(v, time.Second) }

// decodeTTLMillis decodes PTTL and HPTTL replies (milliseconds).
func decodeTTLMillis(v resp.Value) (TimeToLive, error) { return decodeTTLIn(v, time.Millisecond) }

// decodeExpireTimeSeconds decodes EXPIRETIME and HEXPIRETIME replies (Unix
// seconds).
func decodeExpireTimeSeconds(v resp.Value) (ExpiryTime, error) {
	n, st, err := expiryState(v)
	if err != nil || st != ExpirySet {
		return ExpiryTime{State: st}, err
	}
	return ExpiryTime{Time: time.Unix(n, 0), State: ExpirySet}, nil
}

// decodeExpireTimeMillis decodes PEXPIRETIME and HPEXPIRETIME replies
// (Unix milliseconds).
func decodeExpireTimeMillis(v resp.Value) (ExpiryTime, error) {
	n, st, err := expiryState(v)
	if err != nil || st != ExpirySet {
		return ExpiryTime{State: st}, err
	}
	return ExpiryTime{Time: time.UnixMilli(n), State: ExpirySet}, nil
}

// HExpireResult is what HEXPIRE, HPEXPIRE, HEXPIREAT or HPEXPIREAT did to
// one field. Its values are the codes the server sends.
type HExpireResult int8

// Values of HExpireResult.
const (
	// HExpireNoField: the field (or the whole hash) does not exist.
	HExpireNoField HExpireResult = -2
	// HExpireNotSet: the NX, XX, GT or LT condition was not met; nothing
	// changed.
	HExpireNotSet HExpireResult = 0
	// HExpireSet: the expiry was set or updated.
	HExpireSet HExpireResult = 1
	// HExpireDeleted: the time given was now or in the past, so the field
	// was deleted.
	HExpireDeleted HExpireResult = 2
)

// String names the result.
func (r HExpireResult) String() string {
	switch r {
	case HExpireNoField:
		return "no field"
	case HExpireNotSet:
		return "not set"
	case HExpireSet:
		return "set"
	case HExpireDeleted:
		return "deleted"
	}
	return "HExpireResult(" + strconv.Itoa(int(r)) + ")"
}

func decodeHExpireResult(v resp.Value) (HExpireResult, error) {
	n, err := cmdimpl.DecodeInt(v)
	if err != nil {
		return 0, err
	}
	switch n {
	case int64(HExpireNoField), int64(HExpireNotSet), int64(HExpireSet), int64(HExpireDeleted):
		return HExpireResult(n), nil
	}
	return 0, cmdimpl.Unexpected(v, "-2, 0, 1 or 2")
}

// HPersistResult is what HPERSIST did to one field. Its values are the
// codes the server sends.
type HPersistResult int8

// Values of HPersistResult.
const (
	// HPersistNoField: the field (or the whole hash) does not exist.
	HPersistNoField HPersistResult = -2
	// HPersistNoExpiry: the field exists but had no expiry.
	HPersistNoExpiry HPersistResult = -1
	// HPersistRemoved: the field's expiry was removed.
	HPersistRemoved HPersistResult = 1
)

// String names the result.
func (r HPersistResult) String() string {
	switch r {
	case HPersistNoField:
		return "no field"
	case HPersistNoExpiry:
		return "no expiry"
	case HPersistRemoved:
		return "removed"
	}
	return "HPersistResult(" + strconv.Itoa(int(r)) + ")"
}

func decodeHPersistResult(v resp.Value) (HPersistResult, error) {
	n, err := cmdimpl.DecodeInt(v)
	if err != nil {
		return 0, err
	}
	switch n {
	case int64(HPersistNoField), int64(HPersistNoExpiry), int64(HPersistRemoved):
		return HPersistResult(n), nil
	}
	return 0, cmdimpl.Unexpected(v, "-2, -1 or 1")
}
