package redisclient

// This file tests the hand-written decoders of replies_redis8.go on RESP2
// and RESP3 fixtures, and holds the small fixture builders the tests of
// replies_modules.go share.

import (
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
	"github.com/redkit-go/redkit/transport/resp"
)

// Fixture builders: each returns the RESP encoding of one value.
func TestDecodeClusterMigrationReply(t *testing.T) {
	task2 := cmdtest.Arr(
		cmdtest.Bulk("id"), cmdtest.Bulk("24cf"), cmdtest.Bulk("slots"), cmdtest.Bulk("0-1000"),
		cmdtest.Bulk("source"), cmdtest.Bulk("n1"), cmdtest.Bulk("dest"), cmdtest.Bulk("n2"),
		cmdtest.Bulk("operation"), cmdtest.Bulk("import"), cmdtest.Bulk("state"), cmdtest.Bulk("completed"),
		cmdtest.Bulk("last_error"), cmdtest.Bulk(""), cmdtest.Bulk("retries"), cmdtest.Int(1),
		cmdtest.Bulk("create_time"), cmdtest.Int(100), cmdtest.Bulk("start_time"), cmdtest.Int(101),
		cmdtest.Bulk("end_time"), cmdtest.Int(200), cmdtest.Bulk("write_pause_ms"), cmdtest.Int(15),
		cmdtest.Bulk("future_field"), cmdtest.Bulk("x"),
	)
	task3 := cmdtest.Map(
		cmdtest.Bulk("id"), cmdtest.Bulk("24cf"), cmdtest.Bulk("slots"), cmdtest.Bulk("0-1000"),
		cmdtest.Bulk("source"), cmdtest.Bulk("n1"), cmdtest.Bulk("dest"), cmdtest.Bulk("n2"),
		cmdtest.Bulk("operation"), cmdtest.Bulk("import"), cmdtest.Bulk("state"), cmdtest.Bulk("completed"),
		cmdtest.Bulk("last_error"), cmdtest.Null3, cmdtest.Bulk("retries"), cmdtest.Int(1),
		cmdtest.Bulk("create_time"), cmdtest.Int(100), cmdtest.Bulk("start_time"), cmdtest.Int(101),
		cmdtest.Bulk("end_time"), cmdtest.Int(-1), cmdtest.Bulk("write_pause_ms"), cmdtest.Int(15),
	)
	// Unix milliseconds; -1 (not ended yet) is an absent time.
	running := ClusterMigrationTask{
		ID: "24cf", Slots: "0-1000", Source: "n1", Dest: "n2", Operation: "import", State: "completed",
		Retries: 1, CreateTime: time.UnixMilli(100), StartTime: Some(time.UnixMilli(101)), WritePause: 15 * time.Millisecond,
	}
	task := ClusterMigrationTask{
		ID: "24cf", Slots: "0-1000", Source: "n1", Dest: "n2", Operation: "import", State: "completed",
		Retries: 1, CreateTime: time.UnixMilli(100), StartTime: Some(time.UnixMilli(101)), EndTime: Some(time.UnixMilli(200)), WritePause: 15 * time.Millisecond,
	}
	cmdtest.CheckDecode(t, "import", cmdtest.Bulk("24cf"), decodeClusterMigrationReply, ClusterMigrationReply{TaskID: "24cf"})
	cmdtest.CheckDecode(t, "cancel", cmdtest.Int(2), decodeClusterMigrationReply, ClusterMigrationReply{Cancelled: 2})
	cmdtest.CheckDecode(t, "status resp2", cmdtest.Arr(task2), decodeClusterMigrationReply, ClusterMigrationReply{Tasks: []ClusterMigrationTask{task}})
	cmdtest.CheckDecode(t, "status resp3", cmdtest.Arr(task3), decodeClusterMigrationReply, ClusterMigrationReply{Tasks: []ClusterMigrationTask{running}})
	cmdtest.CheckDecode(t, "status empty", cmdtest.Arr(), decodeClusterMigrationReply, ClusterMigrationReply{Tasks: []ClusterMigrationTask{}})
	cmdtest.CheckDecodeErr(t, "error", cmdtest.Err("ERR no such task"), decodeClusterMigrationReply)
	cmdtest.CheckDecodeErr(t, "null", cmdtest.Null3, decodeClusterMigrationReply)
	cmdtest.CheckDecodeErr(t, "odd task", cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("id"))), decodeClusterMigrationReply)
	cmdtest.CheckDecodeErr(t, "bad retries", cmdtest.Arr(cmdtest.Arr(cmdtest.Bulk("retries"), cmdtest.Bulk("many"))), decodeClusterMigrationReply)
}

func TestDecodeHotkeysReport(t *testing.T) {
	fields := func(slots, byCPU, byNet string) []string {
		return []string{
			cmdtest.Bulk("tracking-active"), cmdtest.Int(1),
			cmdtest.Bulk("sample-ratio"), cmdtest.Int(2),
			cmdtest.Bulk("selected-slots"), slots,
			cmdtest.Bulk("all-commands-all-slots-us"), cmdtest.Int(220),
			cmdtest.Bulk("net-bytes-all-commands-all-slots"), cmdtest.Int(200),
			cmdtest.Bulk("collection-start-time-unix-ms"), cmdtest.Int(1769420604522),
			cmdtest.Bulk("collection-duration-ms"), cmdtest.Int(6408),
			cmdtest.Bulk("total-cpu-time-user-ms"), cmdtest.Int(3),
			cmdtest.Bulk("total-cpu-time-sys-ms"), cmdtest.Int(11),
			cmdtest.Bulk("total-net-bytes"), cmdtest.Int(500),
			cmdtest.Bulk("all-commands-selected-slots-us"), cmdtest.Int(20),
			cmdtest.Bulk("sampled-commands-selected-slots-us"), cmdtest.Int(10),
			cmdtest.Bulk("net-bytes-all-commands-selected-slots"), cmdtest.Int(40),
			cmdtest.Bulk("net-bytes-sampled-commands-selected-slots"), cmdtest.Int(30),
			cmdtest.Bulk("by-cpu-time-us"), byCPU,
			cmdtest.Bulk("by-net-bytes"), byNet,
		}
	}
	want := HotkeysReport{
		Tracking: true, SampleRatio: 2,
		SelectedSlots:               []HotkeysSlotRange{{0, 100}, {200, 200}},
		AllCommandsAllSlots:         220 * time.Microsecond,
		NetBytesAllCommandsAllSlots: 200,
		CollectionStart:             time.UnixMilli(1769420604522),
		CollectionDuration:          6408 * time.Millisecond,
		CPUTimeUser:                 3 * time.Millisecond, CPUTimeSys: 11 * time.Millisecond,
		TotalNetBytes:                        500,
		AllCommandsSelectedSlots:             20 * time.Microsecond,
		SampledCommandsSelectedSlots:         10 * time.Microsecond,
		NetBytesAllCommandsSelectedSlots:     40,
		NetBytesSampledCommandsSelectedSlots: 30,
		ByCPUTime:                            []HotkeyMetric{{"x", 104}, {"y", 98}},
		ByNetBytes:                           []HotkeyMetric{{"y", 900}},
	}
	slots := cmdtest.Arr(cmdtest.Arr(cmdtest.Int(0), cmdtest.Int(100)), cmdtest.Arr(cmdtest.Int(200)))
	resp2 := cmdtest.Arr(fields(slots,
		cmdtest.Arr(cmdtest.Bulk("x"), cmdtest.Int(104), cmdtest.Bulk("y"), cmdtest.Int(98)),
		cmdtest.Arr(cmdtest.Bulk("y"), cmdtest.Int(900)))...)
	resp3 := cmdtest.Map(fields(slots,
		cmdtest.Map(cmdtest.Bulk("x"), cmdtest.Int(104), cmdtest.Bulk("y"), cmdtest.Int(98)),
		cmdtest.Map(cmdtest.Bulk("y"), cmdtest.Int(900)))...)
	cmdtest.CheckDecode(t, "resp2", resp2, decodeHotkeysReport, want)
	cmdtest.CheckDecode(t, "resp3", resp3, decodeHotkeysReport, want)
	cmdtest.CheckDecode(t, "resp3 wrapped", cmdtest.Arr(resp3), decodeHotkeysReport, want)
	cmdtest.CheckDecode(t, "minimal", cmdtest.Arr(cmdtest.Bulk("tracking-active"), cmdtest.Int(0), cmdtest.Bulk("selected-slots"), cmdtest.Arr()),
		decodeHotkeysReport, HotkeysReport{SelectedSlots: []HotkeysSlotRange{}})
	cmdtest.CheckDecode(t, "null resp2", cmdtest.Null2, decodeNullHotkeysReportForTest, nil)
	cmdtest.CheckDecode(t, "null resp3", cmdtest.Null3, decodeNullHotkeysReportForTest, nil)
	cmdtest.CheckDecodeErr(t, "odd", cmdtest.Arr(cmdtest.Bulk("sample-ratio")), decodeHotkeysReport)
	cmdtest.CheckDecodeErr(t, "bad metric", cmdtest.Map(cmdtest.Bulk("by-net-bytes"), cmdtest.Map(cmdtest.Bulk("y"), cmdtest.Bulk("lots"))), decodeHotkeysReport)
	cmdtest.CheckDecodeErr(t, "bad slots", cmdtest.Map(cmdtest.Bulk("selected-slots"), cmdtest.Arr(cmdtest.Arr())), decodeHotkeysReport)
	cmdtest.CheckDecodeErr(t, "error", cmdtest.Err("ERR"), decodeHotkeysReport)
}

// decodeNullHotkeysReportForTest is the nullable form HOTKEYS GET uses.
func decodeNullHotkeysReportForTest(v resp.Value) (*HotkeysReport, error) {
	if v.Kind() == resp.KindNull {
		return nil, nil
	}
	r, err := decodeHotkeysReport(v)
	return &r, err
}
