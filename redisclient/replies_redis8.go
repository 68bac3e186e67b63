package redisclient

// This file holds the hand-written reply types of core commands newer than
// the reply schemas (Redis 8.x) whose wire forms are not regular enough to
// be generated: CLUSTER MIGRATION and HOTKEYS GET.

import (
	"time"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport/resp"
)

// ClusterMigrationReply is the reply of CLUSTER MIGRATION. Which field is
// set follows from the subcommand: TaskID for IMPORT, Cancelled for
// CANCEL, Tasks for STATUS.
type ClusterMigrationReply struct {
	// TaskID identifies the migration task started by IMPORT.
	TaskID string
	// Cancelled is the number of tasks CANCEL cancelled.
	Cancelled int64
	// Tasks are the tasks STATUS reports (non-nil, possibly empty, for a
	// STATUS reply).
	Tasks []ClusterMigrationTask
}

// ClusterMigrationTask is one atomic slot migration task as CLUSTER
// MIGRATION STATUS reports it.
type ClusterMigrationTask struct {
	ID string
	// Slots is the slot range being moved, as the server writes it.
	Slots string
	// Source and Dest are the node IDs of both ends.
	Source, Dest string
	// Operation is "import" or "migrate"; State is "completed",
	// "in_progress" and so on.
	Operation, State string
	// LastError is empty when no error occurred.
	LastError string
	Retries   int64
	// CreateTime is when the task was created; StartTime and EndTime
	// when it started and ended, not Valid before (the server sends Unix
	// milliseconds, -1 for not yet).
	CreateTime         time.Time
	StartTime, EndTime Opt[time.Time]
	// WritePause is how long writes were paused for the handoff.
	WritePause time.Duration
}

func decodeClusterMigrationTask(v resp.Value) (ClusterMigrationTask, error) {
	var t ClusterMigrationTask
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		var n int64
		switch string(k.Bytes()) {
		case "id":
			t.ID, err = cmdimpl.DecodeString(x)
		case "slots":
			t.Slots, err = cmdimpl.DecodeString(x)
		case "source":
			t.Source, err = cmdimpl.DecodeString(x)
		case "dest":
			t.Dest, err = cmdimpl.DecodeString(x)
		case "operation":
			t.Operation, err = cmdimpl.DecodeString(x)
		case "state":
			t.State, err = cmdimpl.DecodeString(x)
		case "last_error":
			t.LastError, err = cmdimpl.DecodeStringNullEmpty(x)
		case "retries":
			t.Retries, err = cmdimpl.DecodeInt(x)
		case "create_time":
			t.CreateTime, err = cmdimpl.DecodeUnixMillis(x)
		case "start_time":
			t.StartTime, err = cmdimpl.DecodeOptNonNegative(x, cmdimpl.DecodeUnixMillis)
		case "end_time":
			t.EndTime, err = cmdimpl.DecodeOptNonNegative(x, cmdimpl.DecodeUnixMillis)
		case "write_pause_ms":
			n, err = cmdimpl.DecodeInt(x)
			t.WritePause = time.Duration(n) * time.Millisecond
		}
		return err
	})
	return t, err
}

func decodeClusterMigrationReply(v resp.Value) (ClusterMigrationReply, error) {
	var r ClusterMigrationReply
	var err error
	switch k := v.Kind(); {
	case cmdimpl.IsStringKind(k):
		r.TaskID = v.Text()
	case k == resp.KindInteger:
		r.Cancelled = v.Int()
	case k == resp.KindArray || k == resp.KindSet:
		r.Tasks, err = cmdimpl.DecodeSlice(v, decodeClusterMigrationTask)
	case k == resp.KindSimpleError || k == resp.KindBulkError:
		err = v.Err()
	default:
		err = cmdimpl.Unexpected(v, "task ID, count or task list")
	}
	return r, err
}

// HotkeysReport is the reply of HOTKEYS GET: what the current or last
// tracking session measured. Fields of metrics the session did not track
// are zero.
type HotkeysReport struct {
	// Tracking reports whether the session is still running.
	Tracking bool
	// SampleRatio is N when every Nth command was measured.
	SampleRatio int64
	// SelectedSlots are the slots tracking was limited to (SLOTS).
	SelectedSlots []HotkeysSlotRange
	// CollectionStart and CollectionDuration bound the session.
	CollectionStart    time.Time
	CollectionDuration time.Duration
	// CPUTimeUser and CPUTimeSys are the CPU time used during the session.
	CPUTimeUser, CPUTimeSys time.Duration
	// TotalNetBytes is the network traffic during the session.
	TotalNetBytes int64
	// AllCommandsAllSlots is the CPU time of all commands on all slots.
	AllCommandsAllSlots time.Duration
	// NetBytesAllCommandsAllSlots is their network traffic.
	NetBytesAllCommandsAllSlots int64
	// AllCommandsSelectedSlots and SampledCommandsSelectedSlots are the CPU
	// time of all (and of the sampled) commands on the selected slots.
	AllCommandsSelectedSlots, SampledCommandsSelectedSlots time.Duration
	// NetBytesAllCommandsSelectedSlots and
	// NetBytesSampledCommandsSelectedSlots are their network traffic.
	NetBytesAllCommandsSelectedSlots, NetBytesSampledCommandsSelectedSlots int64
	// ByCPUTime lists the hottest keys by CPU time in microseconds, and
	// ByNetBytes by network bytes, hottest first.
	ByCPUTime, ByNetBytes []HotkeyMetric
}

// HotkeysSlotRange is an inclusive range of hash slots.
type HotkeysSlotRange struct{ Start, End int64 }

// HotkeyMetric is a key and its measured value.
type HotkeyMetric struct {
	Key   string
	Value int64
}

func decodeHotkeysSlotRange(v resp.Value) (HotkeysSlotRange, error) {
	if v.Kind() == resp.KindInteger {
		return HotkeysSlotRange{v.Int(), v.Int()}, nil
	}
	x, err := cmdimpl.TupleStart(v, 1)
	if err != nil {
		return HotkeysSlotRange{}, err
	}
	var r HotkeysSlotRange
	if r.Start, err = cmdimpl.DecodeInt(x); err != nil {
		return r, err
	}
	r.End = r.Start
	if y := x.Next(); y.Valid() {
		r.End, err = cmdimpl.DecodeInt(y)
	}
	return r, err
}

func decodeHotkeyMetrics(v resp.Value) ([]HotkeyMetric, error) {
	out := []HotkeyMetric{}
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		key, err := cmdimpl.DecodeString(k)
		if err != nil {
			return err
		}
		n, err := cmdimpl.DecodeInt(x)
		if err != nil {
			return err
		}
		out = append(out, HotkeyMetric{Key: key, Value: n})
		return nil
	})
	return out, err
}

func decodeHotkeysReport(v resp.Value) (HotkeysReport, error) {
	var r HotkeysReport
	// Some servers wrap the report in a one-element array.
	if v.Kind() == resp.KindArray && v.Len() == 1 && cmdimpl.IsAggregate(v.First().Kind()) {
		v = v.First()
	}
	dur := func(x resp.Value, unit time.Duration, dst *time.Duration) error {
		n, err := cmdimpl.DecodeInt(x)
		*dst = time.Duration(n) * unit
		return err
	}
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		var n int64
		switch string(k.Bytes()) {
		case "tracking-active":
			r.Tracking, err = cmdimpl.DecodeBool(x)
		case "sample-ratio":
			r.SampleRatio, err = cmdimpl.DecodeInt(x)
		case "selected-slots":
			r.SelectedSlots, err = cmdimpl.DecodeSlice(x, decodeHotkeysSlotRange)
		case "collection-start-time-unix-ms":
			n, err = cmdimpl.DecodeInt(x)
			r.CollectionStart = time.UnixMilli(n)
		case "collection-duration-ms":
			err = dur(x, time.Millisecond, &r.CollectionDuration)
		case "total-cpu-time-user-ms", "used-cpu-user-ms":
			err = dur(x, time.Millisecond, &r.CPUTimeUser)
		case "total-cpu-time-sys-ms", "used-cpu-sys-ms":
			err = dur(x, time.Millisecond, &r.CPUTimeSys)
		case "total-net-bytes":
			r.TotalNetBytes, err = cmdimpl.DecodeInt(x)
		case "all-commands-all-slots-us":
			err = dur(x, time.Microsecond, &r.AllCommandsAllSlots)
		case "net-bytes-all-commands-all-slots":
			r.NetBytesAllCommandsAllSlots, err = cmdimpl.DecodeInt(x)
		case "all-commands-selected-slots-us":
			err = dur(x, time.Microsecond, &r.AllCommandsSelectedSlots)
		case "sampled-commands-selected-slots-us":
			err = dur(x, time.Microsecond, &r.SampledCommandsSelectedSlots)
		case "net-bytes-all-commands-selected-slots":
			r.NetBytesAllCommandsSelectedSlots, err = cmdimpl.DecodeInt(x)
		case "net-bytes-sampled-commands-selected-slots":
			r.NetBytesSampledCommandsSelectedSlots, err = cmdimpl.DecodeInt(x)
		case "by-cpu-time-us", "by-cpu-time":
			r.ByCPUTime, err = decodeHotkeyMetrics(x)
		case "by-net-bytes":
			r.ByNetBytes, err = decodeHotkeyMetrics(x)
		}
		return err
	})
	return r, err
}
