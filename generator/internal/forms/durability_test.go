package forms

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"peerpress/generator/internal/forms/pgtest"
)

// childEnv, when set to "PUBLIC|DATA", makes the test binary a form server
// instead of running tests: the durability test starts it as a real process
// and kills it.
const childEnv = "PEERPRESS_FORMS_TEST_SERVER"

func TestMain(m *testing.M) {
	if v := os.Getenv(childEnv); v != "" {
		os.Exit(serveChild(v))
	}
	os.Exit(pgtest.Main(m))
}

func serveChild(v string) int {
	public, data, _ := strings.Cut(v, "|")
	store, err := OpenAt(context.Background(), data, true)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	s, err := New(Options{Public: public, MinFill: -1, Burst: 1 << 20}, store)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("listening %s\n", ln.Addr())
	if err := s.HTTPServer("").Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	return 1
}

func startChild(t *testing.T, public, data string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+public+"|"+data)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		t.Fatalf("the server process did not start: %q, %v", line, err)
	}
	return cmd, "http://" + addr
}

// TestDurability kills the server process with SIGKILL in the middle of a
// stream of submissions, starts it again on the same data, and checks that
// every submission that was answered with a receipt is stored.
func TestDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	eachBackend(t, testDurability)
}

func testDurability(t *testing.T, b backend) {
	public := writeSite(t, testManifest())
	data := b.where(t)
	cmd, base := startChild(t, public, data)
	client := &http.Client{Timeout: 30 * time.Second}

	var mu sync.Mutex
	acknowledged := map[string]string{} // receipt -> name
	const senders, killAfter = 4, 60
	killed := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for g := range senders {
		wg.Go(func() {
			for i := 0; ; i++ {
				name := fmt.Sprintf("Sender %d number %d", g, i)
				body := url.Values{"name": {name}, "email": {"x@example.org"}, "consent": {"yes"}, "_visit": {fmt.Sprintf("visit-%d-%06d", g, i)}}.Encode()
				req, _ := http.NewRequest(http.MethodPost, base+"/forms/request-support", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Accept", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				var r Receipt
				err = json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK || r.ID == "" {
					continue
				}
				mu.Lock()
				acknowledged[r.ID] = name
				n := len(acknowledged)
				mu.Unlock()
				if n >= killAfter {
					once.Do(func() {
						cmd.Process.Signal(syscall.SIGKILL)
						close(killed)
					})
				}
				select {
				case <-killed:
					if i > 1000 {
						return
					}
				default:
				}
			}
		})
	}
	wg.Wait()
	cmd.Wait()
	if len(acknowledged) < killAfter {
		t.Fatalf("only %d submissions were acknowledged before the kill", len(acknowledged))
	}

	// The server starts again on the same data.
	_, base = startChild(t, public, data)
	resp, err := client.Get(base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("after the restart /healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	store := openAt(t, data)
	records, err := store.Records(context.Background(), "request-support", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]string{}
	for _, r := range records {
		for _, a := range r.Answers {
			if a.Name == "name" {
				stored[r.Receipt] = a.Value
			}
		}
	}
	for id, name := range acknowledged {
		if stored[id] != name {
			t.Errorf("acknowledged %s (%s) is not in the store after the crash", id, name)
		}
	}
	t.Logf("%d acknowledged, %d stored", len(acknowledged), len(records))
}
