package cluster

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

func read(t *testing.T, s string) *resp.Reply {
	t.Helper()
	var r resp.Reply
	if err := resp.NewReader(strings.NewReader(s), 0, resp.Limits{}).ReadReply(&r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func bulk(s string) string { return "$" + itoa(len(s)) + "\r\n" + s + "\r\n" }

func itoa(n int) string {
	b := resp.AppendInteger(nil, int64(n))
	return string(b[1 : len(b)-2])
}

func TestParseShardsRESP3AndRESP2(t *testing.T) {
	node := func(id, ip, endpoint, host string, port int, role, health string) string {
		kv := []string{bulk("id"), bulk(id), bulk("port"), ":" + itoa(port) + "\r\n", bulk("ip"), bulk(ip), bulk("endpoint"), bulk(endpoint)}
		if host != "" {
			kv = append(kv, bulk("hostname"), bulk(host))
		}
		kv = append(kv, bulk("role"), bulk(role), bulk("health"), bulk(health))
		return "%" + itoa(len(kv)/2) + "\r\n" + strings.Join(kv, "")
	}
	shard := "%2\r\n" + bulk("slots") + "*4\r\n:0\r\n:100\r\n:200\r\n:300\r\n" + bulk("nodes") + "*2\r\n" +
		node("m1", "10.0.0.1", "redis-1.example", "redis-1.example", 7000, "master", "online") +
		node("r1", "10.0.0.2", "10.0.0.2", "", 7001, "replica", "loading")
	reply3 := "*1\r\n" + shard
	mapAddr := func(a string) string { return strings.Replace(a, "redis-1.example", "127.0.0.1", 1) }
	got, err := parseShards(read(t, reply3).Value(), mapAddr, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []ShardInfo{{
		Master:   NodeInfo{ID: "m1", Addr: "127.0.0.1:7000", Announced: "redis-1.example:7000", Host: "redis-1.example", Healthy: true},
		Replicas: []NodeInfo{{ID: "r1", Addr: "10.0.0.2:7001", Announced: "10.0.0.2:7001", Host: "10.0.0.2", Replica: true}},
		Slots:    []int{0, 100, 200, 300},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RESP3 (-want +got):\n%s", diff)
	}
	// The same reply in RESP2: maps as flat arrays.
	reply2 := strings.ReplaceAll(reply3, "%2\r\n", "*4\r\n")
	reply2 = strings.ReplaceAll(reply2, "%7\r\n", "*14\r\n")
	reply2 = strings.ReplaceAll(reply2, "%6\r\n", "*12\r\n")
	got2, err := parseShards(read(t, reply2).Value(), mapAddr, false)
	if err != nil || !cmp.Equal(want, got2) {
		t.Errorf("RESP2: %v\n%s", err, cmp.Diff(want, got2))
	}
	if _, err := parseShards(read(t, "*1\r\n%1\r\n"+bulk("slots")+"*1\r\n:5\r\n").Value(), mapAddr, false); err == nil {
		t.Error("an odd slot list must be rejected")
	}
}

func TestParseSlots(t *testing.T) {
	reply := "*2\r\n" +
		"*4\r\n:0\r\n:5460\r\n*4\r\n" + bulk("127.0.0.1") + ":7000\r\n" + bulk("m1") + "%1\r\n" + bulk("hostname") + bulk("host-a") +
		"*3\r\n" + bulk("127.0.0.1") + ":7003\r\n" + bulk("r1") +
		"*3\r\n:5461\r\n:10922\r\n*3\r\n" + bulk("127.0.0.1") + ":7001\r\n" + bulk("m2")
	got, err := parseSlots(read(t, reply).Value(), func(a string) string { return a })
	if err != nil {
		t.Fatal(err)
	}
	// The first element is the endpoint the server prefers clients to
	// use; the metadata's hostname is another one (announced, but not
	// preferred), as Redis 7 sends with cluster-preferred-endpoint-type ip.
	if len(got) != 2 || got[0].Master.Addr != "127.0.0.1:7000" || got[0].Replicas[0].Addr != "127.0.0.1:7003" ||
		got[1].Master.ID != "m2" || !cmp.Equal(got[1].Slots, []int{5461, 10922}) {
		t.Errorf("parsed %+v", got)
	}
	// An unknown preferred endpoint ("?" or null) falls back to the
	// metadata: the hostname, else the IP.
	unknown := "*1\r\n*4\r\n:0\r\n:16383\r\n" +
		"*4\r\n" + bulk("?") + ":7000\r\n" + bulk("m1") + "%1\r\n" + bulk("hostname") + bulk("host-a") +
		"*4\r\n_\r\n:7001\r\n" + bulk("r1") + "%1\r\n" + bulk("ip") + bulk("10.0.0.9")
	got, err = parseSlots(read(t, unknown).Value(), func(a string) string { return a })
	if err != nil || len(got) != 1 || got[0].Master.Addr != "host-a:7000" || got[0].Replicas[0].Addr != "10.0.0.9:7001" {
		t.Errorf("unknown endpoints: %+v %v", got, err)
	}
}

func TestParseShardsTLSPort(t *testing.T) {
	node := func(fields ...string) string {
		return "%" + itoa(len(fields)/2) + "\r\n" + strings.Join(fields, "")
	}
	reply := "*1\r\n%2\r\n" + bulk("slots") + "*2\r\n:0\r\n:16383\r\n" + bulk("nodes") + "*2\r\n" +
		node(bulk("id"), bulk("m"), bulk("port"), ":6379\r\n", bulk("tls-port"), ":6380\r\n", bulk("endpoint"), bulk("10.0.0.1"), bulk("role"), bulk("master")) +
		// A TLS-only node: no plain-text port.
		node(bulk("id"), bulk("r"), bulk("tls-port"), ":6390\r\n", bulk("endpoint"), bulk("10.0.0.2"), bulk("role"), bulk("replica"))
	plain, err := parseShards(read(t, reply).Value(), func(a string) string { return a }, false)
	if err != nil || plain[0].Master.Addr != "10.0.0.1:6379" || plain[0].Replicas[0].Addr != "10.0.0.2:6390" {
		t.Errorf("without TLS: %+v %v", plain, err)
	}
	tls, err := parseShards(read(t, reply).Value(), func(a string) string { return a }, true)
	if err != nil || tls[0].Master.Addr != "10.0.0.1:6380" || tls[0].Replicas[0].Addr != "10.0.0.2:6390" {
		t.Errorf("with TLS: %+v %v", tls, err)
	}
}

func TestSplitBySlot(t *testing.T) {
	cmd := transport.NewCommand(transport.Meta{Request: transport.RequestMultiShard},
		transport.String("MSET"), transport.Key("a"), transport.String("1"), transport.Key("b"), transport.String("2"),
		transport.Key("{a}x"), transport.String("3"))
	defer cmd.Release()
	head, groups := splitBySlot(cmd)
	if len(head) != 1 || head[0].Text() != "MSET" {
		t.Fatalf("head %v", head)
	}
	if len(groups) != 2 {
		t.Fatalf("%d groups, want 2 (a and {a}x share a slot)", len(groups))
	}
	var texts [][]string
	for _, g := range groups {
		var ts []string
		for _, a := range g.args {
			ts = append(ts, a.Text())
		}
		texts = append(texts, ts)
	}
	want := [][]string{{"a", "1", "{a}x", "3"}, {"b", "2"}}
	if diff := cmp.Diff(want, texts); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if !cmp.Equal(groups[0].positions, []int{0, 2}) || !cmp.Equal(groups[1].positions, []int{1}) {
		t.Errorf("positions %v %v", groups[0].positions, groups[1].positions)
	}
}

func TestMergeAndAggregate(t *testing.T) {
	sub := func(reply string) *transport.Command {
		c := transport.AcquireCommand()
		c.Append(transport.String("X"))
		if err := resp.NewReader(strings.NewReader(reply), 0, resp.Limits{}).ReadReply(c.ReplyStorage()); err != nil {
			t.Fatal(err)
		}
		return c
	}
	groups := []*keyGroup{{positions: []int{0, 2}}, {positions: []int{1}}}
	subs := []*transport.Command{sub("*2\r\n" + bulk("va") + "$-1\r\n"), sub("*1\r\n" + bulk("vb"))}
	m, err := mergeSplit(transport.ResponseDefault, subs, groups, 3)
	if err != nil || len(m.Elems) != 3 || m.Elems[0].Str != "va" || m.Elems[1].Str != "vb" || m.Elems[2].Kind != resp.KindNull {
		t.Errorf("MGET merge: %v %v", m, err)
	}
	sums := []*transport.Command{sub(":2\r\n"), sub(":3\r\n")}
	if m, _ := mergeSplit(transport.ResponseAggSum, sums, groups, 3); m.Int != 5 {
		t.Errorf("sum: %v", m)
	}
	if m := aggregate(transport.ResponseAggMin, sums); m.Int != 2 {
		t.Errorf("min: %v", m)
	}
	if m := aggregate(transport.ResponseAggLogicalAnd, []*transport.Command{sub(":1\r\n"), sub(":0\r\n")}); m.Int != 0 {
		t.Errorf("and: %v", m)
	}
	// SCRIPT EXISTS: arrays combined element by element.
	exists := []*transport.Command{sub("*3\r\n:1\r\n:1\r\n:0\r\n"), sub("*3\r\n:1\r\n:0\r\n:0\r\n")}
	if m := aggregate(transport.ResponseAggLogicalAnd, exists); m.Kind != resp.KindArray || len(m.Elems) != 3 ||
		m.Elems[0].Int != 1 || m.Elems[1].Int != 0 || m.Elems[2].Int != 0 {
		t.Errorf("element-wise and: %v", m)
	}
	if m := aggregate(transport.ResponseAggSum, exists); len(m.Elems) != 3 || m.Elems[0].Int != 2 || m.Elems[1].Int != 1 {
		t.Errorf("element-wise sum: %v", m)
	}
	for _, c := range exists {
		c.Release()
	}
	arrays := []*transport.Command{sub("*1\r\n" + bulk("k1")), sub("*2\r\n" + bulk("k2") + bulk("k3"))}
	if m := aggregate(transport.ResponseDefault, arrays); len(m.Elems) != 3 {
		t.Errorf("concat: %v", m)
	}
	errs := []*transport.Command{sub(":1\r\n"), sub("-ERR boom\r\n")}
	if m, _ := mergeSplit(transport.ResponseAggSum, errs, groups, 3); m.Kind != resp.KindSimpleError {
		t.Errorf("an error reply must win: %v", m)
	}
	for _, c := range append(append(append(subs, sums...), arrays...), errs...) {
		c.Release()
	}
}
