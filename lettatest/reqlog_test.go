package lettatest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestLogLimit(t *testing.T) {
	tests := []struct {
		name  string
		opts  []Option
		sent  int
		want  []int // indexes of the requests kept, oldest first
		reset bool  // ResetRequests after the first sent-1 requests
	}{
		{"default keeps all", nil, 5, []int{0, 1, 2, 3, 4}, false},
		{"negative keeps all", []Option{WithRequestLogLimit(-1)}, 5, []int{0, 1, 2, 3, 4}, false},
		{"zero keeps none", []Option{WithRequestLogLimit(0)}, 3, nil, false},
		{"under the limit", []Option{WithRequestLogLimit(4)}, 3, []int{0, 1, 2}, false},
		{"at the limit", []Option{WithRequestLogLimit(3)}, 3, []int{0, 1, 2}, false},
		{"over the limit keeps the last", []Option{WithRequestLogLimit(3)}, 8, []int{5, 6, 7}, false},
		{"limit one", []Option{WithRequestLogLimit(1)}, 4, []int{3}, false},
		{"reset then more", []Option{WithRequestLogLimit(2)}, 6, []int{5}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHandler(tt.opts...)
			for i := range tt.sent {
				if tt.reset && i == tt.sent-1 {
					h.ResetRequests()
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/v1/agents/?name=a%d", i), nil))
				require.Equal(t, http.StatusOK, rec.Code)
			}
			got := h.Requests()
			want := make([]string, len(tt.want))
			for i, n := range tt.want {
				want[i] = fmt.Sprintf("name=a%d", n)
			}
			gotQ := make([]string, len(got))
			for i, r := range got {
				gotQ[i] = r.RawQuery
				assert.Equal(t, http.StatusOK, r.Status, "status recorded for %s", r.RawQuery)
			}
			assert.Equal(t, want, gotQ, "kept entries in arrival order")
		})
	}
}

// A request answered after its log entry was pushed out must not overwrite
// the entry that took its slot.
func TestRequestLogLimitLateAnswer(t *testing.T) {
	h := NewHandler(WithRequestLogLimit(2))
	first := h.log.add(httptest.NewRequest("GET", "/v1/agents/?n=0", nil))
	h.log.add(httptest.NewRequest("GET", "/v1/agents/?n=1", nil))
	h.log.add(httptest.NewRequest("GET", "/v1/agents/?n=2", nil))
	h.log.setStatus(first, 418)
	h.log.setBody(first, []byte("late"))
	got := h.Requests()
	require.Len(t, got, 2)
	for _, r := range got {
		assert.Zero(t, r.Status, r.RawQuery)
		assert.Empty(t, r.Body, r.RawQuery)
	}
	assert.Equal(t, "n=1", got[0].RawQuery)
	assert.Equal(t, "n=2", got[1].RawQuery)
}
