package docspacetest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Webhook triggers (reference §13): name and bit value.
const (
	TriggerUserUpdated  = "user.updated"
	TriggerUserDeleted  = "user.deleted"
	TriggerGroupUpdated = "group.updated"
	TriggerFileUploaded = "file.uploaded"
	TriggerFolderMoved  = "folder.moved"
	TriggerRoomArchived = "room.archived"
	TriggerRoomRestored = "room.restored"
)

func triggerID(name string) int {
	switch name {
	case TriggerUserUpdated:
		return 4
	case TriggerUserDeleted:
		return 8
	case TriggerGroupUpdated:
		return 32
	case TriggerFileUploaded:
		return 256
	case TriggerFolderMoved:
		return 2097152
	case TriggerRoomArchived:
		return 16777216
	case TriggerRoomRestored:
		return 67108864
	}
	return 0
}

// SignatureHeader carries the payload signature: "sha256=" and the upper-case hex HMAC-SHA256 of the body.
const SignatureHeader = "x-docspace-signature-256"

// Sign returns the signature header value DocSpace sends for body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

// hookMessage is one delivery waiting for the sender.
type hookMessage struct {
	hook    Webhook
	trigger string
	body    []byte
}

type hookEventDTO struct {
	ID        int    `json:"id"`
	CreateOn  string `json:"createOn"`
	CreateBy  string `json:"createBy,omitempty"`
	Trigger   string `json:"trigger"`
	TriggerID int    `json:"triggerId"`
}

type hookInfoDTO struct {
	ID       int      `json:"id"`
	Name     string   `json:"name,omitempty"`
	URL      string   `json:"url"`
	Triggers []string `json:"triggers,omitempty"`
}

// userInfoDTO is the internal UserInfo record webhooks carry (not EmployeeFullDto); defaults are omitted.
type userInfoDTO struct {
	ID               string `json:"id"`
	FirstName        string `json:"firstName,omitempty"`
	LastName         string `json:"lastName,omitempty"`
	UserName         string `json:"userName,omitempty"`
	Status           int    `json:"status,omitempty"`
	ActivationStatus int    `json:"activationStatus,omitempty"`
	Email            string `json:"email,omitempty"`
	TerminatedDate   string `json:"terminatedDate,omitempty"`
	LastModified     string `json:"lastModified,omitempty"`
	TenantID         int    `json:"tenantId,omitempty"`
	CreateDate       string `json:"createDate,omitempty"`
	Removed          bool   `json:"removed,omitempty"`
}

func utcString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// emitUserHook queues a user.updated or user.deleted delivery to every webhook subscribed to it. Caller
// holds s.mu; the sender picks the message up after the request.
func (s *Server) emitUserHook(trigger string, at time.Time, actorID string, u *User) {
	payload := userInfoDTO{
		ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, UserName: u.UserName, Status: int(u.Status),
		ActivationStatus: int(u.ActivationStatus), Email: u.Email, TerminatedDate: utcString(u.Terminated),
		LastModified: utcString(u.LastModified), TenantID: s.opts.TenantID,
		CreateDate: utcString(u.RegistrationDate), Removed: u.Removed,
	}
	s.emitHook(trigger, at, actorID, payload)
}

// emitHook queues a delivery of payload for trigger. Caller holds s.mu.
func (s *Server) emitHook(trigger string, at time.Time, actorID string, payload any) {
	for _, h := range s.st.webhooks {
		if !h.Enabled || (len(h.Triggers) > 0 && !slices.Contains(h.Triggers, trigger)) {
			continue
		}
		s.st.nextEventSeq++
		body, err := json.Marshal(struct {
			Event   hookEventDTO `json:"event"`
			Payload any          `json:"payload"`
			Webhook hookInfoDTO  `json:"webhook"`
		}{
			Event: hookEventDTO{ID: s.st.nextEventSeq, CreateOn: utcString(at), CreateBy: actorID, Trigger: trigger,
				TriggerID: triggerID(trigger)},
			Payload: payload,
			Webhook: hookInfoDTO{ID: h.ID, Name: h.Name, URL: h.URL, Triggers: h.Triggers},
		})
		if err != nil {
			continue // the payload types always encode
		}
		s.hookQueue = append(s.hookQueue, hookMessage{hook: *h, trigger: trigger, body: body})
	}
}

// wakeWebhooks tells the sender there may be work.
func (s *Server) wakeWebhooks() {
	select {
	case s.hookWake <- struct{}{}:
	default:
	}
}

// runWebhooks is the sender goroutine. It exits when ctx ends.
func (s *Server) runWebhooks(ctx context.Context) {
	defer close(s.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.hookWake:
		}
		for {
			s.mu.Lock()
			if len(s.hookQueue) == 0 {
				s.mu.Unlock()
				break
			}
			msg := s.hookQueue[0]
			s.hookQueue = s.hookQueue[1:]
			s.mu.Unlock()
			s.deliver(ctx, msg)
			if ctx.Err() != nil {
				return
			}
		}
	}
}

// deliver posts one message, retrying non-2xx replies; 410 Gone disables the webhook.
func (s *Server) deliver(ctx context.Context, msg hookMessage) {
	sig := Sign(msg.hook.Secret, msg.body)
	for attempt := 1; attempt <= s.opts.WebhookAttempts; attempt++ {
		rec := WebhookDelivery{WebhookID: msg.hook.ID, Trigger: msg.trigger, Attempt: attempt,
			Body: msg.body, Signature: sig, Time: s.now()}
		status, err := s.post(ctx, msg.hook.URL, sig, msg.body)
		rec.Status = status
		if err != nil {
			rec.Err = err.Error()
		}
		s.mu.Lock()
		s.deliveries = append(s.deliveries, rec)
		if status == http.StatusGone {
			for _, h := range s.st.webhooks {
				if h.ID == msg.hook.ID {
					h.Enabled = false
				}
			}
		}
		s.mu.Unlock()
		if err == nil && (status >= 200 && status < 300 || status == http.StatusGone) {
			return
		}
		t := time.NewTimer(s.opts.WebhookRetryDelay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func (s *Server) post(ctx context.Context, url, sig string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, sig)
	resp, err := s.opts.WebhookClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("post webhook: %w", err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// WebhookSpec registers a webhook receiver.
type WebhookSpec struct {
	Name     string
	URL      string
	Secret   string
	Triggers []string // empty: every trigger
}

// AddWebhook registers a receiver for the triggers.
func (s *Server) AddWebhook(spec WebhookSpec) (Webhook, error) {
	if spec.URL == "" {
		return Webhook{}, fmt.Errorf("add webhook: %w: empty url", ErrInvalidSpec)
	}
	for _, t := range spec.Triggers {
		if triggerID(t) == 0 {
			return Webhook{}, fmt.Errorf("add webhook: %w: unknown trigger %q", ErrInvalidSpec, t)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := &Webhook{ID: s.st.nextHookID, Name: spec.Name, URL: spec.URL, Secret: spec.Secret,
		Triggers: slices.Clone(spec.Triggers), Enabled: true}
	s.st.nextHookID++
	s.st.webhooks = append(s.st.webhooks, h)
	return cloneWebhook(h), nil
}

func cloneWebhook(h *Webhook) Webhook {
	c := *h
	c.Triggers = slices.Clone(h.Triggers)
	return c
}

// Webhooks returns the registered webhooks.
func (s *Server) Webhooks() []Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Webhook, 0, len(s.st.webhooks))
	for _, h := range s.st.webhooks {
		out = append(out, cloneWebhook(h))
	}
	return out
}

// WebhookDeliveries returns every delivery attempt so far.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]WebhookDelivery, len(s.deliveries))
	for i, d := range s.deliveries {
		d.Body = slices.Clone(d.Body)
		out[i] = d
	}
	return out
}
