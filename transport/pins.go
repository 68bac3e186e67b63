package transport

// This file keeps commands of one slot in order after their callers give
// up. A command whose caller's context ended after it may have been written
// (abandoned while sent) can still run on the server. Until its reply has
// been read and discarded, every later command of its slots goes to the
// same connection, so TCP's order puts it behind the abandoned one: the
// abandoned command either never runs or runs before anything issued for
// its slots after its caller returned.

import (
	"sync"
	"sync/atomic"
)

// slotPins maps slots to the connection that carries an abandoned command
// of theirs. The zero value is empty and ready to use.
type slotPins struct {
	// live counts the registered abandoned commands; routing consults the
	// table only while it is positive. It is raised before a command is
	// abandoned, so a reader that finds the command abandoned always finds
	// its pin (see pinIfSent).
	live atomic.Int32

	mu      sync.Mutex // protects following fields
	bySlot  map[uint16][]slotPin
	byEntry map[entry]pinRecord
	// changed is closed and replaced whenever a pin is removed.
	changed chan struct{}
}

// slotPin is the connection a slot is pinned to, and how many abandoned
// commands pin it there.
type slotPin struct {
	p *pipe
	n int
}

// pinRecord is one abandoned command's pins.
type pinRecord struct {
	p     *pipe
	slots []uint16
}

// pinIfSent abandons e when it was written, or is being written, to its
// connection: its slots are pinned to that connection until the reader
// discards its reply (unpin). It reports whether e was abandoned this way;
// false means e is in another state (queued, done, ...).
func (sp *slotPins) pinIfSent(e entry) bool {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.live.Add(1)
	if !e.cmd.transition(e.gen, stateSent, stateAbandoned) {
		sp.live.Add(-1)
		return false
	}
	p := e.cmd.pipe
	slots := e.cmd.keySlots(nil)
	if len(slots) == 0 || p == nil || p.failed.Load() {
		// Keyless commands are not ordered with anything; a failed
		// connection will not deliver the command any more.
		sp.live.Add(-1)
		return true
	}
	if sp.bySlot == nil {
		sp.bySlot = make(map[uint16][]slotPin)
		sp.byEntry = make(map[entry]pinRecord)
	}
	for _, s := range slots {
		sp.bySlot[s] = addPin(sp.bySlot[s], p)
	}
	sp.byEntry[e] = pinRecord{p: p, slots: slots}
	return true
}

// addPin counts one more abandoned command on p among a slot's pins. A
// slot has pins on several connections when commands of it were abandoned
// on each (issued concurrently, before any of them was abandoned).
func addPin(pins []slotPin, p *pipe) []slotPin {
	for i := range pins {
		if pins[i].p == p {
			pins[i].n++
			return pins
		}
	}
	return append(pins, slotPin{p: p, n: 1})
}

// unpin removes the pins of an abandoned command whose reply was read (or
// whose connection failed).
func (sp *slotPins) unpin(e entry) {
	if sp.live.Load() == 0 {
		return
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if rec, ok := sp.byEntry[e]; ok {
		delete(sp.byEntry, e)
		sp.removeLocked(rec)
	}
}

// dropPipe removes every pin of a connection that failed: its abandoned
// commands get no reply any more.
func (sp *slotPins) dropPipe(p *pipe) {
	if sp.live.Load() == 0 {
		return
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	for e, rec := range sp.byEntry {
		if rec.p == p {
			delete(sp.byEntry, e)
			sp.removeLocked(rec)
		}
	}
}

func (sp *slotPins) removeLocked(rec pinRecord) {
	for _, s := range rec.slots {
		pins := sp.bySlot[s]
		for i := range pins {
			if pins[i].p == rec.p {
				if pins[i].n--; pins[i].n == 0 {
					pins = append(pins[:i], pins[i+1:]...)
				}
				break
			}
		}
		if len(pins) == 0 {
			delete(sp.bySlot, s)
		} else {
			sp.bySlot[s] = pins
		}
	}
	sp.live.Add(-1)
	if sp.changed != nil {
		close(sp.changed)
		sp.changed = nil
	}
}

// pipeFor returns the connection that commands with these keys must use:
// the one their slots are pinned to, or nil when none is. When their slots
// are pinned to different connections, no connection keeps them in order;
// it returns a channel that is closed when a pin goes away, to try again.
func (sp *slotPins) pipeFor(cmds []*Command) (*pipe, <-chan struct{}) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	var found *pipe
	var scratch [8]uint16
	for _, cmd := range cmds {
		for _, s := range cmd.keySlots(scratch[:0]) {
			for _, pin := range sp.bySlot[s] {
				if found == nil {
					found = pin.p
				} else if found != pin.p {
					if sp.changed == nil {
						sp.changed = make(chan struct{})
					}
					return nil, sp.changed
				}
			}
		}
	}
	return found, nil
}
