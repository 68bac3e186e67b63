// This file holds Kind, the type tag of a RESP value.

package resp

import "strconv"

// Kind is the type of a RESP value.
type Kind uint8

// RESP value kinds. The comment gives each kind's type byte.
const (
	KindInvalid      Kind = iota // no value
	KindSimpleString             // '+'
	KindSimpleError              // '-'
	KindInteger                  // ':'
	KindBulkString               // '$'
	KindArray                    // '*'
	KindNull                     // '_'; RESP2 "$-1" and "*-1" decode to it too
	KindBoolean                  // '#'
	KindDouble                   // ','
	KindBigNumber                // '('
	KindBulkError                // '!'
	KindVerbatim                 // '='
	KindMap                      // '%' (also the kind of an attribute map, '|')
	KindSet                      // '~'
	KindPush                     // '>'
)

var kindNames = [...]string{
	KindInvalid:      "invalid",
	KindSimpleString: "simple-string",
	KindSimpleError:  "simple-error",
	KindInteger:      "integer",
	KindBulkString:   "bulk-string",
	KindArray:        "array",
	KindNull:         "null",
	KindBoolean:      "boolean",
	KindDouble:       "double",
	KindBigNumber:    "big-number",
	KindBulkError:    "bulk-error",
	KindVerbatim:     "verbatim",
	KindMap:          "map",
	KindSet:          "set",
	KindPush:         "push",
}

// String returns the kind's name, such as "bulk-string".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// isString reports whether values of kind k carry a byte payload.
func (k Kind) isString() bool {
	switch k {
	case KindSimpleString, KindSimpleError, KindBulkString, KindDouble,
		KindBigNumber, KindBulkError, KindVerbatim:
		return true
	}
	return false
}

// isAggregate reports whether values of kind k have children.
func (k Kind) isAggregate() bool {
	switch k {
	case KindArray, KindMap, KindSet, KindPush:
		return true
	}
	return false
}
