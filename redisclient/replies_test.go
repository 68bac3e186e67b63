package redisclient

import (
	"errors"
	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/redisclient/cmdimpl/cmdtest"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redkit-go/redkit/transport/resp"
)

func TestDecodeGeoLocation(t *testing.T) {
	// WITHDIST WITHHASH WITHCOORD, RESP2 (distance and coordinates as bulk
	// strings) and RESP3 (the same: geo replies keep bulk strings).
	full := "*4\r\n" + cmdtest.Bulk("Palermo") + cmdtest.Bulk("190.4424") + ":3479099956230698\r\n*2\r\n" + cmdtest.Bulk("13.361389338970184") + cmdtest.Bulk("38.115556395496299")
	want := GeoLocation{Member: "Palermo", Dist: 190.4424, Hash: 3479099956230698, Longitude: 13.361389338970184, Latitude: 38.115556395496299}
	cmdtest.CheckDecode(t, "full", full, decodeGeoLocation, want)
	cmdtest.CheckDecode(t, "dist only", "*2\r\n"+cmdtest.Bulk("Catania")+",56.4413\r\n", decodeGeoLocation, GeoLocation{Member: "Catania", Dist: 56.4413})
	cmdtest.CheckDecode(t, "plain member", cmdtest.Bulk("Rome"), decodeGeoLocation, GeoLocation{Member: "Rome"})
	cmdtest.CheckDecode(t, "list", "*1\r\n"+full, decodeSliceGeoLocation, []GeoLocation{want})
	r := cmdtest.ReadFixture(t, "*2\r\n"+cmdtest.Bulk("x")+"%0\r\n")
	if _, err := decodeGeoLocation(r.Value()); err == nil {
		t.Error("a map element must be rejected")
	}
}

func TestDecodeConnectedClient(t *testing.T) {
	line := "id=3 addr=127.0.0.1:50188 laddr=127.0.0.1:6379 fd=8 name=app age=12 idle=2 flags=N db=1 sub=0 psub=0 ssub=0 multi=-1 watch=0 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22426 events=r cmd=client|info user=default redir=-1 resp=3 lib-name=redkit lib-ver=0.1.0\n"
	got, err := decodeConnectedClient(cmdtest.ReadFixture(t, cmdtest.Bulk(line)).Value())
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != 3 || got.Addr != "127.0.0.1:50188" || got.Name != "app" || got.Age != 12*time.Second || got.DB != 1 ||
		got.Multi != -1 || got.Cmd != "client|info" || got.Resp != 3 || got.LibName != "redkit" || got.Fields["qbuf-free"] != "20448" {
		t.Errorf("decoded %+v", got)
	}
	// RESP3 sends a verbatim string.
	v := "=" + strconv.Itoa(len(line)+4) + "\r\ntxt:" + line + "\r\n"
	got3, err := decodeConnectedClient(cmdtest.ReadFixture(t, v).Value())
	if err != nil || !cmp.Equal(got, got3) {
		t.Errorf("RESP3 verbatim: %v\n%s", err, cmp.Diff(got, got3))
	}
	list, err := decodeConnectedClients(cmdtest.ReadFixture(t, cmdtest.Bulk(line+line)).Value())
	if err != nil || len(list) != 2 || list[1].ID != 3 {
		t.Errorf("list: %v %+v", err, list)
	}
	if _, err := decodeConnectedClient(cmdtest.ReadFixture(t, cmdtest.Bulk("id=1 garbage")).Value()); err == nil {
		t.Error("a field without = must be rejected")
	}
}

func TestDecodeClusterSlot(t *testing.T) {
	fx := "*4\r\n:0\r\n:5460\r\n*4\r\n" + cmdtest.Bulk("127.0.0.1") + ":30001\r\n" + cmdtest.Bulk("09dbe9720cda62f7865eabc5fd8857c5d2678366") + "*2\r\n" + cmdtest.Bulk("hostname") + cmdtest.Bulk("host-1.redis.example") +
		"*3\r\n" + cmdtest.Bulk("127.0.0.1") + ":30004\r\n" + cmdtest.Bulk("821d8ca00d7ccf931ed3ffc7e3db0599d2271abf")
	want := ClusterSlot{Start: 0, End: 5460, Nodes: []ClusterSlotNode{
		{Host: "127.0.0.1", Port: 30001, ID: "09dbe9720cda62f7865eabc5fd8857c5d2678366", Metadata: map[string]string{"hostname": "host-1.redis.example"}},
		{Host: "127.0.0.1", Port: 30004, ID: "821d8ca00d7ccf931ed3ffc7e3db0599d2271abf"},
	}}
	cmdtest.CheckDecode(t, "slot", fx, decodeClusterSlot, want)
	r := cmdtest.ReadFixture(t, "*2\r\n:0\r\n:1\r\n")
	if _, err := decodeClusterSlot(r.Value()); err == nil {
		t.Error("a slot without nodes must be rejected")
	}
}

func TestDecodeReplicationRole(t *testing.T) {
	master := "*3\r\n" + cmdtest.Bulk("master") + ":3129659\r\n*2\r\n*3\r\n" + cmdtest.Bulk("127.0.0.1") + cmdtest.Bulk("9001") + cmdtest.Bulk("3129242") + "*3\r\n" + cmdtest.Bulk("127.0.0.1") + cmdtest.Bulk("9002") + cmdtest.Bulk("3129543")
	cmdtest.CheckDecode(t, "master", master, decodeReplicationRole, ReplicationRole{Role: "master", ReplicationOffset: 3129659,
		Replicas: []RoleReplica{{"127.0.0.1", 9001, 3129242}, {"127.0.0.1", 9002, 3129543}}})
	replica := "*5\r\n" + cmdtest.Bulk("slave") + cmdtest.Bulk("127.0.0.1") + ":9000\r\n" + cmdtest.Bulk("connected") + ":3167038\r\n"
	cmdtest.CheckDecode(t, "replica", replica, decodeReplicationRole, ReplicationRole{Role: "slave", MasterHost: "127.0.0.1", MasterPort: 9000, State: "connected", ReplicationOffset: 3167038})
	sentinel := "*2\r\n" + cmdtest.Bulk("sentinel") + "*2\r\n" + cmdtest.Bulk("mymaster") + cmdtest.Bulk("other")
	cmdtest.CheckDecode(t, "sentinel", sentinel, decodeReplicationRole, ReplicationRole{Role: "sentinel", MasterNames: []string{"mymaster", "other"}})
	if _, err := decodeReplicationRole(cmdtest.ReadFixture(t, "*2\r\n"+cmdtest.Bulk("leader")+":1\r\n").Value()); err == nil {
		t.Error("an unknown role must be rejected")
	}
}

func TestDecodeLCSMatches(t *testing.T) {
	body2 := "*4\r\n" + cmdtest.Bulk("matches") + "*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n" + cmdtest.Bulk("len") + ":6\r\n"
	body3 := "%2\r\n" + cmdtest.Bulk("matches") + "*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n" + cmdtest.Bulk("len") + ":6\r\n"
	want := LCSMatches{Len: 6, Matches: []LCSMatch{{A: LCSRange{4, 7}, B: LCSRange{5, 8}, Len: 4}, {A: LCSRange{2, 3}, B: LCSRange{0, 1}, Len: 2}}}
	cmdtest.CheckDecode(t, "resp2", body2, decodeLCSMatches, want)
	cmdtest.CheckDecode(t, "resp3", body3, decodeLCSMatches, want)
}

func TestDecodeBaseShapes(t *testing.T) {
	cmdtest.CheckDecode(t, "int from bulk", cmdtest.Bulk("42"), cmdimpl.DecodeInt, int64(42))
	cmdtest.CheckDecode(t, "float inf", cmdtest.Bulk("+inf"), cmdimpl.DecodeFloat, posInf())
	cmdtest.CheckDecode(t, "float resp3", ",-1.5\r\n", cmdimpl.DecodeFloat, -1.5)
	cmdtest.CheckDecode(t, "bool true", "#t\r\n", cmdimpl.DecodeBool, true)
	cmdtest.CheckDecode(t, "bool ok", "+OK\r\n", cmdimpl.DecodeBool, true)
	cmdtest.CheckDecode(t, "bool null", "_\r\n", cmdimpl.DecodeBool, false)
	cmdtest.CheckDecode(t, "map of pairs", "*1\r\n*2\r\n"+cmdtest.Bulk("a")+":1\r\n", decodeMapStringInt, map[string]int64{"a": 1})
	cmdtest.CheckDecode(t, "slice null", "*-1\r\n", decodeSliceString, []string(nil))
	cmdtest.CheckDecode(t, "slice empty", "*0\r\n", decodeSliceString, []string{})
	cmdtest.CheckDecode(t, "zmembers resp2", "*4\r\n"+cmdtest.Bulk("a")+cmdtest.Bulk("1")+cmdtest.Bulk("b")+cmdtest.Bulk("2.5"), decodeSliceZMember, []ZMember{{Member: "a", Score: 1}, {Member: "b", Score: 2.5}})
	cmdtest.CheckDecode(t, "zmembers resp3", "*2\r\n*2\r\n"+cmdtest.Bulk("a")+",1\r\n*2\r\n"+cmdtest.Bulk("b")+",2.5\r\n", decodeSliceZMember, []ZMember{{Member: "a", Score: 1}, {Member: "b", Score: 2.5}})
	for _, bad := range []string{"*3\r\n" + cmdtest.Bulk("a") + cmdtest.Bulk("1") + cmdtest.Bulk("b"), "*2\r\n" + cmdtest.Bulk("a") + cmdtest.Bulk("x")} {
		if _, err := decodeSliceZMember(cmdtest.ReadFixture(t, bad).Value()); err == nil {
			t.Errorf("%q must be rejected", bad)
		}
	}
	// A nested server error comes back as *resp.Error.
	_, err := decodeSliceString(cmdtest.ReadFixture(t, "*2\r\n"+cmdtest.Bulk("a")+"-ERR inner\r\n").Value())
	var re *resp.Error
	if !errors.As(err, &re) || re.Prefix() != "ERR" {
		t.Errorf("nested error: %v", err)
	}
	// An unexpected shape names the place and what was wanted.
	_, err = decodeSliceInt(cmdtest.ReadFixture(t, "*2\r\n:1\r\n*0\r\n").Value())
	var ue *UnexpectedReplyError
	if !errors.As(err, &ue) || ue.Path != "[1]" || ue.Want != "integer" {
		t.Errorf("unexpected: %v", err)
	}
}

func posInf() float64 { return math.Inf(1) }

// TestDecodeMembersAsGeoLocations checks the adapter that a geo query's
// With without WITHCOORD, WITHDIST and WITHHASH decodes with.
func TestDecodeMembersAsGeoLocations(t *testing.T) {
	b, arr := cmdtest.Bulk, cmdtest.Arr
	cmdtest.CheckDecode(t, "names", arr(b("Palermo"), b("Catania")), decodeMembersAsGeoLocations,
		[]GeoLocation{{Member: "Palermo"}, {Member: "Catania"}})
	cmdtest.CheckDecode(t, "empty", arr(), decodeMembersAsGeoLocations, []GeoLocation{})
	cmdtest.CheckDecodeErr(t, "with distances", arr(arr(b("Palermo"), b("1.5"))), decodeMembersAsGeoLocations)
}
