package transport

// This file computes Redis Cluster hash slots (CRC16/XMODEM of the key or of
// its hash tag, modulo 16384).

import "strings"

// SlotCount is the number of hash slots in a Redis Cluster.
const SlotCount = 16384

// crc16Table is the CRC16-CCITT (XMODEM) table, polynomial 0x1021.
var crc16Table = func() (t [256]uint16) {
	for i := range t {
		crc := uint16(i) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
		t[i] = crc
	}
	return t
}()

func crc16(s string) uint16 { return crc16Update(0, s) }

// crc16Update continues crc over s.
func crc16Update(crc uint16, s string) uint16 {
	for i := 0; i < len(s); i++ {
		crc = crc<<8 ^ crc16Table[byte(crc>>8)^s[i]]
	}
	return crc
}

// hashTag returns the part of key that decides its slot: the text between
// the first '{' and the next '}' when that is not empty, else the whole key.
func hashTag(key string) string {
	for i := 0; i < len(key); i++ {
		if key[i] == '{' {
			for j := i + 1; j < len(key); j++ {
				if key[j] == '}' {
					if j == i+1 {
						return key
					}
					return key[i+1 : j]
				}
			}
			return key
		}
	}
	return key
}

// Slot returns the hash slot of key.
func Slot(key string) uint16 { return crc16(hashTag(key)) & (SlotCount - 1) }

// SlotWithPrefix returns the hash slot of prefix+key without building the
// concatenation.
func SlotWithPrefix(prefix, key string) uint16 {
	if prefix == "" {
		return Slot(key)
	}
	// The hash tag may start in the prefix and end in the key; the simple,
	// allocation-free path covers the common cases, the rest concatenates.
	if strings.IndexByte(prefix, '{') < 0 && strings.IndexByte(prefix, '}') < 0 {
		// The first '{' is in the key: a tag there decides, else the
		// whole prefixed key does.
		if t := hashTag(key); len(t) != len(key) {
			return crc16(t) & (SlotCount - 1)
		}
		return crc16Update(crc16Update(0, prefix), key) & (SlotCount - 1)
	}
	return Slot(prefix + key)
}
