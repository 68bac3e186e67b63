package redisclient

import (
	"strings"
	"testing"
	"time"
)

func TestParseURL(t *testing.T) {
	o, err := ParseURL("redis://alice:s3cret@cache.internal:6380/2?dial_timeout=1500ms&protocol=2&client_name=api&pool_size=7&key_prefix=app:")
	if err != nil {
		t.Fatal(err)
	}
	if o.Addr != "cache.internal:6380" || o.Username != "alice" || o.Password != "s3cret" || o.DB != 2 ||
		o.DialTimeout != 1500*time.Millisecond || o.Protocol != 2 || o.ClientName != "api" || o.PoolSize != 7 || o.KeyPrefix != "app:" {
		t.Errorf("parsed %+v", o)
	}
	if s := o.String(); strings.Contains(s, "s3cret") || s != "redis://alice:xxxxx@cache.internal:6380/2" {
		t.Errorf("String() = %q", s)
	}
	o, err = ParseURL("redis://localhost?spin_wait=-1ns&always_pipeline=true")
	if err != nil || o.SpinWait != -1 || !o.AlwaysPipeline {
		t.Errorf("spin_wait, always_pipeline: %+v, %v", o, err)
	}
	if _, err := ParseURL("redis://localhost?always_pipeline=maybe"); err == nil {
		t.Error("always_pipeline=maybe accepted")
	}
	o, err = ParseURL("redis://localhost")
	if err != nil || o.Addr != "localhost:6379" || o.DB != 0 || o.TLSConfig != nil {
		t.Errorf("defaults: %+v, %v", o, err)
	}
	o, err = ParseURL("rediss://:pw@redis.example:6390?insecure_skip_verify=true&tls_server_name=other")
	if err != nil || o.TLSConfig == nil || !o.TLSConfig.InsecureSkipVerify || o.TLSConfig.ServerName != "other" || o.Password != "pw" {
		t.Errorf("rediss: %+v, %v", o, err)
	}
	o, err = ParseURL("unix:///var/run/redis.sock?db=3")
	if err != nil || o.Network != "unix" || o.Addr != "/var/run/redis.sock" || o.DB != 3 {
		t.Errorf("unix: %+v, %v", o, err)
	}
	if s := o.String(); s != "unix:///var/run/redis.sock?db=3" {
		t.Errorf("unix String() = %q", s)
	}
}

func TestParseURLErrors(t *testing.T) {
	for raw, want := range map[string]string{
		"localhost:6379":                           "missing scheme",
		"http://localhost":                         `scheme "http"`,
		"redis://localhost:0":                      `port "0"`,
		"redis://localhost:99999":                  `port "99999"`,
		"redis://localhost/db1":                    `database "db1"`,
		"redis://localhost?nope=1":                 "option nope",
		"redis://localhost?dial_timeout=soon":      "want a duration",
		"redis://localhost?insecure_skip_verify=1": "only for rediss://",
		"redis://localhost?protocol=4":             "protocol 4",
		"unix://":                                  "socket path",
		"redis://u:hunter2@[::1":                   "missing ']'",
	} {
		_, err := ParseURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseURL(%q) = %v, want an error containing %q", raw, err, want)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseURL(%q): the error shows the password: %v", raw, err)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []Options{{Addr: "no-port"}, {Network: "udp"}, {Network: "unix"}, {DB: -1}} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v): want an error", o)
		}
	}
	c, err := New(Options{Addr: "127.0.0.1:1", Password: "topsecret", OfflineQueueLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if s := c.String(); strings.Contains(s, "topsecret") {
		t.Errorf("String() shows the password: %s", s)
	}
}
