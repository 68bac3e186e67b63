package integration

import (
	"testing"

	"github.com/redkit-go/redkit/redisclient"
)

func TestSmokeTmp(t *testing.T) {
	for _, cfg := range []ServerConfig{{Name: "plain"}, {Name: "tls", TLS: true}, {Name: "acl", Password: "pw", Users: []string{"alice on >secret ~* &* +@all"}}} {
		t.Run(cfg.Name, func(t *testing.T) {
			t.Parallel()
			s := StartServer(t, cfg)
			t.Log(s.Addr, s.VersionString(t))
			for _, p := range []int{2, 3} {
				c := NewClient(t, s.Options(p))
				ci, err := redisclient.ClientInfo().Do(testCtx(t), c)
				t.Logf("%d: %+v %v", p, ci.Resp, err)
			}
		})
	}
}
