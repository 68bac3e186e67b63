package sentinel

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redkit-go/redkit/transport/resp"
)

func read(t *testing.T, s string) resp.Value {
	t.Helper()
	var r resp.Reply
	if err := resp.NewReader(strings.NewReader(s), 0, resp.Limits{}).ReadReply(&r); err != nil {
		t.Fatal(err)
	}
	return r.Value()
}

func bulk(s string) string {
	b := resp.AppendBulkString(nil, s)
	return string(b)
}

func replica(ip, port, flags, link string) string {
	kv := []string{bulk("name"), bulk(ip + ":" + port), bulk("ip"), bulk(ip), bulk("port"), bulk(port), bulk("flags"), bulk(flags), bulk("master-link-status"), bulk(link)}
	return "*" + string(resp.AppendInteger(nil, int64(len(kv)))[1:]) + strings.Join(kv, "")
}

func TestParseReplicasSkipsUnhealthy(t *testing.T) {
	r := &Router{cfg: Config{MapAddr: func(a string) string { return a }}}
	v := read(t, "*4\r\n"+replica("10.0.0.1", "6380", "slave", "ok")+replica("10.0.0.2", "6381", "s_down,slave", "ok")+
		replica("10.0.0.3", "6382", "slave,disconnected", "ok")+replica("10.0.0.4", "6383", "slave", "err"))
	got := r.parseReplicas(v)
	want := []ReplicaInfo{{Addr: "10.0.0.1:6380", Flags: []string{"slave"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestChooseReplica(t *testing.T) {
	reps := []ReplicaInfo{{Addr: "a:1"}, {Addr: "b:2"}, {Addr: "c:3"}}
	r := &Router{cfg: Config{PreferredReplicas: []string{"x:9", "c:3", "b:2"}}}
	if got, ok := r.chooseReplica(reps); !ok || got.Addr != "c:3" {
		t.Errorf("preferred: %v %v", got, ok)
	}
	r.cfg.ReplicaSelector = func(rs []ReplicaInfo) (ReplicaInfo, bool) { return rs[0], true }
	if got, _ := r.chooseReplica(reps); got.Addr != "a:1" {
		t.Errorf("selector: %v", got)
	}
	if _, ok := r.chooseReplica(nil); ok {
		t.Error("no replicas: want none")
	}
}

func TestHandleEvent(t *testing.T) {
	r := &Router{cfg: Config{MasterName: "mymaster", MapAddr: func(a string) string { return a }}, addr: "10.0.0.1:6379", closed: true}
	msg := func(channel, payload string) resp.Value {
		return read(t, ">3\r\n"+bulk("message")+bulk(channel)+bulk(payload))
	}
	// A closed router starts no discovery; concerns() decides for sdown.
	if !r.concerns(strings.Fields("master mymaster 10.0.0.1 6379")) {
		t.Error("sdown of the master in use must concern the router")
	}
	if r.concerns(strings.Fields("slave 10.0.0.9:6380 10.0.0.9 6380 @ mymaster 10.0.0.1 6379")) {
		t.Error("sdown of another node must not")
	}
	r.handleEvent(msg("+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379"))
	r.handleEvent(msg("+switch-master", "other 10.0.0.1 6379 10.0.0.2 6379"))
}
