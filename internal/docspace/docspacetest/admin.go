package docspacetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AdminHandler serves a control and inspection API for a simulator running as
// its own process (cmd/docspace-simulator -admin-addr), so that tests driving
// real binaries (the chaos suite) can inject faults and check the state the
// service left. It is not part of DocSpace's API and must never be exposed
// beyond the test machine.
//
//	GET    /state          users, entries, room members, mutations per operation
//	POST   /faults         inject a fault (JSON AdminFault); answers {"id": n}
//	DELETE /faults/{id}    remove one fault
//	DELETE /faults         remove every fault
func (s *Server) AdminHandler() http.Handler {
	a := &admin{s: s, faults: map[int]func(){}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /state", a.state)
	mux.HandleFunc("POST /faults", a.addFault)
	mux.HandleFunc("DELETE /faults/{id}", a.removeFault)
	mux.HandleFunc("DELETE /faults", a.clearFaults)
	return mux
}

type admin struct {
	s      *Server
	mu     sync.Mutex
	next   int
	faults map[int]func()
}

// AdminState is the simulator's state as GET /state returns it.
type AdminState struct {
	Users     []AdminUser         `json:"users"`
	Entries   []AdminEntry        `json:"entries"`
	Members   map[string][]Member `json:"members"` // room id → members
	Mutations map[string]int      `json:"mutations"`
	Calls     int                 `json:"calls"`
}

// AdminUser is a user in AdminState.
type AdminUser struct {
	ID     string       `json:"id"`
	Email  string       `json:"email"`
	Status UserStatus   `json:"status"`
	Type   EmployeeType `json:"type"`
}

// AdminEntry is a folder, room or file in AdminState.
type AdminEntry struct {
	ID        int      `json:"id"`
	Kind      string   `json:"kind"` // folder or file
	ParentID  int      `json:"parentId"`
	Title     string   `json:"title"`
	RoomType  RoomType `json:"roomType,omitempty"`
	CreatedBy string   `json:"createdBy"`
	Versions  int      `json:"versions,omitempty"`
}

// AdminFault is a fault as POST /faults takes it: Fault with its kind named
// (error, rate-limit, latency, reset, payment-required, stuck-job) and
// durations in Go syntax ("1s").
type AdminFault struct {
	Kind        string  `json:"kind"`
	Operation   string  `json:"operation,omitempty"`
	Method      string  `json:"method,omitempty"`
	UserID      string  `json:"userId,omitempty"`
	Rate        float64 `json:"rate,omitempty"`
	Times       int     `json:"times,omitempty"`
	Status      int     `json:"status,omitempty"`
	RetryAfter  string  `json:"retryAfter,omitempty"`
	Delay       string  `json:"delay,omitempty"`
	Jitter      string  `json:"jitter,omitempty"`
	AfterEffect bool    `json:"afterEffect,omitempty"`
	HoldAt      int     `json:"holdAt,omitempty"`
}

// Fault converts f.
func (f AdminFault) Fault() (Fault, error) {
	out := Fault{Operation: f.Operation, Method: f.Method, UserID: f.UserID, Rate: f.Rate, Times: f.Times,
		Status: f.Status, AfterEffect: f.AfterEffect, HoldAt: f.HoldAt}
	kinds := []FaultKind{FaultError, FaultRateLimit, FaultLatency, FaultReset, FaultPaymentRequired, FaultStuckJob}
	i := slices.IndexFunc(kinds, func(k FaultKind) bool { return k.String() == f.Kind })
	if i < 0 {
		return Fault{}, fmt.Errorf("%w: unknown kind %q", ErrInvalidFault, f.Kind)
	}
	out.Kind = kinds[i]
	for _, d := range []struct {
		s   string
		dst *time.Duration
	}{{f.RetryAfter, &out.RetryAfter}, {f.Delay, &out.Delay}, {f.Jitter, &out.Jitter}} {
		if d.s == "" {
			continue
		}
		v, err := time.ParseDuration(d.s)
		if err != nil {
			return Fault{}, fmt.Errorf("%w: %v", ErrInvalidFault, err)
		}
		*d.dst = v
	}
	return out, nil
}

func (a *admin) state(w http.ResponseWriter, _ *http.Request) {
	s := a.s
	st := AdminState{Members: map[string][]Member{}, Mutations: s.MutatingCalls(), Calls: len(s.Calls())}
	for _, u := range s.Users() {
		st.Users = append(st.Users, AdminUser{ID: u.ID, Email: u.Email, Status: u.Status, Type: u.Type})
	}
	for _, e := range s.FindEntries(func(Entry) bool { return true }) {
		kind := "folder"
		if e.Kind == KindFile {
			kind = "file"
		}
		st.Entries = append(st.Entries, AdminEntry{ID: e.ID, Kind: kind, ParentID: e.ParentID, Title: e.Title,
			RoomType: e.RoomType, CreatedBy: e.CreatedBy, Versions: len(e.Versions)})
		if e.IsRoom() {
			st.Members[strconv.Itoa(e.ID)] = s.RoomMembers(e.ID)
		}
	}
	writeAdminJSON(w, http.StatusOK, st)
}

func (a *admin) addFault(w http.ResponseWriter, r *http.Request) {
	var af AdminFault
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&af); err != nil {
		writeAdminJSON(w, http.StatusBadRequest, map[string]string{"error": "decode fault: " + err.Error()})
		return
	}
	f, err := af.Fault()
	if err == nil {
		var remove func()
		remove, err = a.s.InjectFault(f)
		if err == nil {
			a.mu.Lock()
			a.next++
			id := a.next
			a.faults[id] = remove
			a.mu.Unlock()
			writeAdminJSON(w, http.StatusCreated, map[string]int{"id": id})
			return
		}
	}
	status := http.StatusInternalServerError
	if errors.Is(err, ErrInvalidFault) {
		status = http.StatusBadRequest
	}
	writeAdminJSON(w, status, map[string]string{"error": err.Error()})
}

func (a *admin) removeFault(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(strings.TrimSpace(r.PathValue("id")))
	a.mu.Lock()
	remove, ok := a.faults[id]
	delete(a.faults, id)
	a.mu.Unlock()
	if err != nil || !ok {
		writeAdminJSON(w, http.StatusNotFound, map[string]string{"error": "no such fault"})
		return
	}
	remove()
	w.WriteHeader(http.StatusNoContent)
}

func (a *admin) clearFaults(w http.ResponseWriter, _ *http.Request) {
	a.mu.Lock()
	clear(a.faults)
	a.mu.Unlock()
	a.s.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

func writeAdminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
