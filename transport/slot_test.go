package transport

import "testing"

func TestSlot(t *testing.T) {
	// Reference values from the Redis Cluster specification and CLUSTER
	// KEYSLOT on a real server.
	cases := map[string]uint16{
		"123456789":     12739, // CRC16/XMODEM check value 0x31C3 & 16383
		"foo":           12182,
		"bar":           5061,
		"{user1000}.a":  Slot("user1000"),
		"{user1000}.b":  Slot("user1000"),
		"foo{}{bar}":    Slot("foo{}{bar}"),
		"foo{{bar}}zap": Slot("{bar"),
		"foo{bar}{zap}": Slot("bar"),
		"":              0,
	}
	for k, want := range cases {
		if got := Slot(k); got != want {
			t.Errorf("Slot(%q) = %d, want %d", k, got, want)
		}
	}
}

func TestSlotWithPrefix(t *testing.T) {
	for _, c := range []struct{ prefix, key string }{
		{"", "foo"}, {"app:", "foo"}, {"app:", "{tag}x"}, {"{app}:", "foo"},
		{"a{", "b}c"}, {"x}", "{y}"}, {"p", ""},
		// No tag in the key after all: the whole prefixed key decides.
		{"p:", "a{b"}, {"p:", "a{}b{c}"}, {"p:", "x{}"}, {"p:", "{a{b}c"},
	} {
		if got, want := SlotWithPrefix(c.prefix, c.key), Slot(c.prefix+c.key); got != want {
			t.Errorf("SlotWithPrefix(%q, %q) = %d, want %d", c.prefix, c.key, got, want)
		}
	}
}

func BenchmarkSlot(b *testing.B) {
	for b.Loop() {
		Slot("user:{12345}:profile")
	}
}
