package redisclient

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInvalidCombinationsDoNotCompile checks that the compiler rejects
// option combinations the server would reject: mutually exclusive options
// and options repeated after being chosen.
func TestInvalidCombinationsDoNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds snippets with the go tool; skipped in -short mode")
	}
	cases := map[string]struct{ code, want string }{
		"nx_xx":     {`redisclient.Set("k", "v").NX().XX()`, "has no field or method XX"},
		"ex_px":     {`redisclient.Set("k", "v").EX(time.Second).PX(time.Second)`, "has no field or method PX"},
		"get_twice": {`redisclient.Set("k", "v").Get().Get()`, "has no field or method Get"},
		"gt_lt":     {`redisclient.ZAdd("z", 1, "m").GT().LT()`, "has no field or method LT"},
		"any_alone": {`redisclient.GeoSearch("k", redisclient.GeoSearchFromMember("m"), redisclient.GeoSearchByRadius(1, redisclient.GeoUnitKM)).Any()`, "has no field or method Any"},
		"wrong_type": {`0
	var s string
	s, _ = redisclient.Incr("k").Do(ctx, c)
	_ = s`, "cannot use"},
	}
	dir, err := os.MkdirTemp("testdata", "compilefail")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for name, c := range cases {
		pkg := filepath.Join(dir, name)
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		src := `package main

import (
	"context"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

var _ = time.Second

func main() {
	ctx := context.Background()
	var c redisclient.Doer
	_, _ = ctx, c
	_ = ` + c.code + `
}
`
		if err := os.WriteFile(filepath.Join(pkg, "main.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("go", "vet", "./"+filepath.ToSlash(pkg)).CombinedOutput()
		if err == nil {
			t.Errorf("%s: compiled, want a type error", name)
			continue
		}
		if !strings.Contains(string(out), c.want) {
			t.Errorf("%s: error does not mention %q:\n%s", name, c.want, out)
		}
	}
	// And the valid combinations compile.
	ok := filepath.Join(dir, "valid")
	os.MkdirAll(ok, 0o755)
	os.WriteFile(filepath.Join(ok, "main.go"), []byte(`package main

import (
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func main() {
	_ = redisclient.Set("k", "v").NX().Get().EX(time.Second)
	_ = redisclient.Set("k", []byte("v")).KeepTTL()
	_ = redisclient.ZAdd("z", 1, "m").XX().GT().CH().ScoreMember(2, "n")
	_ = redisclient.GeoSearch("k", redisclient.GeoSearchFromLonLat(1, 2), redisclient.GeoSearchByBox(1, 2, redisclient.GeoUnitM)).Count(3).Any().WithDist()
}
`), 0o644)
	if out, err := exec.Command("go", "vet", "./"+filepath.ToSlash(ok)).CombinedOutput(); err != nil {
		t.Errorf("valid combinations do not compile: %v\n%s", err, out)
	}
}
