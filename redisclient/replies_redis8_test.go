package redisclient

// This file tests the hand-written decoders of replies_redis8.go on RESP2
// and RESP3 fixtures, and holds the small fixture builders the tests of
// replies_modules.go share.

import (
	"testing"
	"time"

	"github.com/redkit-go/redkit/transport/resp"
)

// Fixture builders: each returns the RESP encoding of one value.
func TestDecodeClusterMigrationReply(t *testing.T) {
	task2 := fxArr(
		fxBulk("id"), fxBulk("24cf"), fxBulk("slots"), fxBulk("0-1000"),
		fxBulk("source"), fxBulk("n1"), fxBulk("dest"), fxBulk("n2"),
		fxBulk("operation"), fxBulk("import"), fxBulk("state"), fxBulk("completed"),
		fxBulk("last_error"), fxBulk(""), fxBulk("retries"), fxInt(1),
		fxBulk("create_time"), fxInt(100), fxBulk("start_time"), fxInt(101),
		fxBulk("end_time"), fxInt(200), fxBulk("write_pause_ms"), fxInt(15),
		fxBulk("future_field"), fxBulk("x"),
	)
	task3 := fxMap(
		fxBulk("id"), fxBulk("24cf"), fxBulk("slots"), fxBulk("0-1000"),
		fxBulk("source"), fxBulk("n1"), fxBulk("dest"), fxBulk("n2"),
		fxBulk("operation"), fxBulk("import"), fxBulk("state"), fxBulk("completed"),
		fxBulk("last_error"), fxNull3, fxBulk("retries"), fxInt(1),
		fxBulk("create_time"), fxInt(100), fxBulk("start_time"), fxInt(101),
		fxBulk("end_time"), fxInt(200), fxBulk("write_pause_ms"), fxInt(15),
	)
	task := ClusterMigrationTask{
		ID: "24cf", Slots: "0-1000", Source: "n1", Dest: "n2", Operation: "import", State: "completed",
		Retries: 1, CreateTime: 100, StartTime: 101, EndTime: 200, WritePause: 15 * time.Millisecond,
	}
	checkDecode(t, "import", fxBulk("24cf"), decodeClusterMigrationReply, ClusterMigrationReply{TaskID: "24cf"})
	checkDecode(t, "cancel", fxInt(2), decodeClusterMigrationReply, ClusterMigrationReply{Cancelled: 2})
	checkDecode(t, "status resp2", fxArr(task2), decodeClusterMigrationReply, ClusterMigrationReply{Tasks: []ClusterMigrationTask{task}})
	checkDecode(t, "status resp3", fxArr(task3), decodeClusterMigrationReply, ClusterMigrationReply{Tasks: []ClusterMigrationTask{task}})
	checkDecode(t, "status empty", fxArr(), decodeClusterMigrationReply, ClusterMigrationReply{Tasks: []ClusterMigrationTask{}})
	checkDecodeErr(t, "error", fxErr("ERR no such task"), decodeClusterMigrationReply)
	checkDecodeErr(t, "null", fxNull3, decodeClusterMigrationReply)
	checkDecodeErr(t, "odd task", fxArr(fxArr(fxBulk("id"))), decodeClusterMigrationReply)
	checkDecodeErr(t, "bad retries", fxArr(fxArr(fxBulk("retries"), fxBulk("many"))), decodeClusterMigrationReply)
}

func TestDecodeHotkeysReport(t *testing.T) {
	fields := func(slots, byCPU, byNet string) []string {
		return []string{
			fxBulk("tracking-active"), fxInt(1),
			fxBulk("sample-ratio"), fxInt(2),
			fxBulk("selected-slots"), slots,
			fxBulk("all-commands-all-slots-us"), fxInt(220),
			fxBulk("net-bytes-all-commands-all-slots"), fxInt(200),
			fxBulk("collection-start-time-unix-ms"), fxInt(1769420604522),
			fxBulk("collection-duration-ms"), fxInt(6408),
			fxBulk("total-cpu-time-user-ms"), fxInt(3),
			fxBulk("total-cpu-time-sys-ms"), fxInt(11),
			fxBulk("total-net-bytes"), fxInt(500),
			fxBulk("all-commands-selected-slots-us"), fxInt(20),
			fxBulk("sampled-commands-selected-slots-us"), fxInt(10),
			fxBulk("net-bytes-all-commands-selected-slots"), fxInt(40),
			fxBulk("net-bytes-sampled-commands-selected-slots"), fxInt(30),
			fxBulk("by-cpu-time-us"), byCPU,
			fxBulk("by-net-bytes"), byNet,
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
	slots := fxArr(fxArr(fxInt(0), fxInt(100)), fxArr(fxInt(200)))
	resp2 := fxArr(fields(slots,
		fxArr(fxBulk("x"), fxInt(104), fxBulk("y"), fxInt(98)),
		fxArr(fxBulk("y"), fxInt(900)))...)
	resp3 := fxMap(fields(slots,
		fxMap(fxBulk("x"), fxInt(104), fxBulk("y"), fxInt(98)),
		fxMap(fxBulk("y"), fxInt(900)))...)
	checkDecode(t, "resp2", resp2, decodeHotkeysReport, want)
	checkDecode(t, "resp3", resp3, decodeHotkeysReport, want)
	checkDecode(t, "resp3 wrapped", fxArr(resp3), decodeHotkeysReport, want)
	checkDecode(t, "minimal", fxArr(fxBulk("tracking-active"), fxInt(0), fxBulk("selected-slots"), fxArr()),
		decodeHotkeysReport, HotkeysReport{SelectedSlots: []HotkeysSlotRange{}})
	checkDecode(t, "null resp2", fxNull2, decodeNullHotkeysReportForTest, nil)
	checkDecode(t, "null resp3", fxNull3, decodeNullHotkeysReportForTest, nil)
	checkDecodeErr(t, "odd", fxArr(fxBulk("sample-ratio")), decodeHotkeysReport)
	checkDecodeErr(t, "bad metric", fxMap(fxBulk("by-net-bytes"), fxMap(fxBulk("y"), fxBulk("lots"))), decodeHotkeysReport)
	checkDecodeErr(t, "bad slots", fxMap(fxBulk("selected-slots"), fxArr(fxArr())), decodeHotkeysReport)
	checkDecodeErr(t, "error", fxErr("ERR"), decodeHotkeysReport)
}

// decodeNullHotkeysReportForTest is the nullable form HOTKEYS GET uses.
func decodeNullHotkeysReportForTest(v resp.Value) (*HotkeysReport, error) {
	if v.Kind() == resp.KindNull {
		return nil, nil
	}
	r, err := decodeHotkeysReport(v)
	return &r, err
}
