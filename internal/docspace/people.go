package docspace

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// Self returns the profile of the key's owner (getSelfProfile,
// GET people/@self).
func (c *Client) Self(ctx context.Context) (*User, error) {
	return callJSON[User](ctx, c, &request{op: opGetSelfProfile, segments: []string{"people", "@self"}})
}

// User returns a profile by id; DocSpace also accepts a user name here
// (getProfileByUserId, GET people/{userid}). Disabled users are returned
// too. Unknown: ErrNotFound.
func (c *Client) User(ctx context.Context, id string) (*User, error) {
	if strings.TrimSpace(id) == "" {
		return nil, newArgError(string(opGetProfileByUserID), "empty user id")
	}
	return callJSON[User](ctx, c, &request{op: opGetProfileByUserID, segments: []string{"people", id}})
}

// UserByEmail returns the profile with that e-mail address
// (getProfileByEmail, GET people/email?email=). Unknown: ErrNotFound.
func (c *Client) UserByEmail(ctx context.Context, email string) (*User, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, newArgError(string(opGetProfileByEmail), "empty e-mail address")
	}
	return callJSON[User](ctx, c, &request{
		op:       opGetProfileByEmail,
		segments: []string{"people", "email"},
		query:    url.Values{"email": {email}},
	})
}

// SetUserStatus sets the status of the listed users and returns their
// updated profiles (updateUserStatus, PUT people/status/{status}). Only
// UserStatusActive and UserStatusTerminated are accepted.
//
// DocSpace checks the whole batch first: if any id is the owner, the caller,
// an LDAP or system user, an unknown id, or (for a non-owner caller) a
// DocSpace admin, the call fails with ErrForbidden and nothing changes.
// Terminating a user also ends all their sessions and kills their API keys.
// A repeat returns the same state (and re-emits DocSpace's audit event).
func (c *Client) SetUserStatus(ctx context.Context, status UserStatus, ids ...string) ([]User, error) {
	const op = string(opUpdateUserStatus)
	if status != UserStatusActive && status != UserStatusTerminated {
		return nil, newArgError(op, "status %s cannot be set; use Active or Terminated", status)
	}
	if len(ids) == 0 {
		return nil, newArgError(op, "no user ids")
	}
	for _, id := range ids {
		if err := checkGUID(op, "user id", id); err != nil {
			return nil, err
		}
	}
	body, err := jsonBody(op, struct {
		UserIDs []string `json:"userIds"`
	}{ids})
	if err != nil {
		return nil, err
	}
	users, err := callJSON[[]User](ctx, c, &request{
		op:          opUpdateUserStatus,
		segments:    []string{"people", "status", strconv.Itoa(int(status))},
		body:        body,
		contentType: contentTypeJSON,
	})
	if err != nil {
		return nil, err
	}
	return *users, nil
}

// LogoutAllSessions ends every browser session and token of a user; API keys
// survive (logOutAllActiveConnectionsForUser,
// PUT security/activeconnections/logoutall/{userId}). Terminating the user
// already does this.
func (c *Client) LogoutAllSessions(ctx context.Context, userID string) error {
	if err := checkGUID(string(opLogOutAllConnections), "user id", userID); err != nil {
		return err
	}
	_, _, _, err := callEnvelope[json.RawMessage](ctx, c, &request{
		op:       opLogOutAllConnections,
		segments: []string{"security", "activeconnections", "logoutall", userID},
	})
	return err
}

// ReassignNecessary reports whether DocSpace thinks the user's data needs
// reassigning (necessaryReassign, GET people/reassign/necessary). It only
// counts owned rooms (plus shared items for guests): a UI hint. Reassign
// anyway. t is the user's own type, see User.Type.
func (c *Client) ReassignNecessary(ctx context.Context, userID string, t EmployeeType) (bool, error) {
	const op = string(opNecessaryReassign)
	if err := checkGUID(op, "user id", userID); err != nil {
		return false, err
	}
	if t < EmployeeTypeRoomAdmin || t > EmployeeTypeUser {
		return false, newArgError(op, "user type %s is not a type of user", t)
	}
	v, err := callJSON[bool](ctx, c, &request{
		op:       opNecessaryReassign,
		segments: []string{"people", "reassign", "necessary"},
		query:    url.Values{"UserId": {userID}, "Type": {strconv.Itoa(int(t))}},
	})
	if err != nil {
		return false, err
	}
	return *v, nil
}

// StartReassign starts moving the data of a disabled user (from) to an
// Active RoomAdmin or DocSpaceAdmin (to) (startReassign,
// POST people/reassign/start). It returns at once; follow the job with
// WaitReassign. A job already running for from is returned as is, with the
// new arguments ignored. With deleteProfile the leaver's remaining personal
// files and profile are deleted. Not retried on ambiguous failures.
func (c *Client) StartReassign(ctx context.Context, from, to string, deleteProfile bool) (*TaskProgress, error) {
	const op = string(opStartReassign)
	if err := checkGUID(op, "source user id", from); err != nil {
		return nil, err
	}
	if err := checkGUID(op, "target user id", to); err != nil {
		return nil, err
	}
	body, err := jsonBody(op, struct {
		FromUserID    string `json:"fromUserId"`
		ToUserID      string `json:"toUserId"`
		DeleteProfile bool   `json:"deleteProfile"`
	}{from, to, deleteProfile})
	if err != nil {
		return nil, err
	}
	return callJSON[TaskProgress](ctx, c, &request{
		op:          opStartReassign,
		segments:    []string{"people", "reassign", "start"},
		body:        body,
		contentType: contentTypeJSON,
	})
}

// ReassignProgress returns the reassignment job of a source user
// (getReassignProgress, GET people/reassign/progress/{userid}). DocSpace keeps
// a job about 60 s after its last update; without one the result is
// ErrNoRecord.
func (c *Client) ReassignProgress(ctx context.Context, userID string) (*TaskProgress, error) {
	if err := checkGUID(string(opGetReassignProgress), "user id", userID); err != nil {
		return nil, err
	}
	return taskOrNoRecord(ctx, c, &request{
		op:       opGetReassignProgress,
		segments: []string{"people", "reassign", "progress", userID},
	})
}

// TerminateReassign cancels the reassignment job of a source user and
// returns it with status TaskCanceled (terminateReassign,
// PUT people/reassign/terminate). Work done is not rolled back. Without a
// job: ErrNoRecord, which is also what a retried terminate sees.
func (c *Client) TerminateReassign(ctx context.Context, userID string) (*TaskProgress, error) {
	const op = string(opTerminateReassign)
	if err := checkGUID(op, "user id", userID); err != nil {
		return nil, err
	}
	body, err := jsonBody(op, struct {
		UserID string `json:"userId"`
	}{userID})
	if err != nil {
		return nil, err
	}
	return taskOrNoRecord(ctx, c, &request{
		op:          opTerminateReassign,
		segments:    []string{"people", "reassign", "terminate"},
		body:        body,
		contentType: contentTypeJSON,
	})
}

// taskOrNoRecord makes a call whose absent payload means "no such job".
func taskOrNoRecord(ctx context.Context, c *Client, r *request) (*TaskProgress, error) {
	tp, meta, resp, err := callEnvelope[TaskProgress](ctx, c, r)
	if err != nil {
		return nil, err
	}
	if !meta.present {
		return nil, resp.fail(ErrNoRecord, "no reassignment job for this user")
	}
	return tp, nil
}

// UserGroups lists the regular groups a user belongs to (getGroupByUserId,
// GET group/user/{userid}).
func (c *Client) UserGroups(ctx context.Context, userID string) ([]GroupSummary, error) {
	if err := checkGUID(string(opGetGroupByUserID), "user id", userID); err != nil {
		return nil, err
	}
	groups, err := callJSON[[]GroupSummary](ctx, c, &request{
		op:       opGetGroupByUserID,
		segments: []string{"group", "user", userID},
	})
	if err != nil {
		return nil, err
	}
	return *groups, nil
}

// Group returns a group with its members (getGroup, GET group/{id}).
// Unknown: ErrNotFound.
func (c *Client) Group(ctx context.Context, id string) (*Group, error) {
	if err := checkGUID(string(opGetGroup), "group id", id); err != nil {
		return nil, err
	}
	return callJSON[Group](ctx, c, &request{
		op:       opGetGroup,
		segments: []string{"group", id},
		query:    url.Values{"includeMembers": {"true"}},
	})
}

// RemoveGroupMembers removes users from a group and returns the group
// (removeMembersFrom, DELETE group/{id}/members). Ids that are not members
// are skipped, so a repeat is harmless. Unknown group: ErrNotFound.
func (c *Client) RemoveGroupMembers(ctx context.Context, groupID string, userIDs ...string) (*Group, error) {
	const op = string(opRemoveMembersFrom)
	if err := checkGUID(op, "group id", groupID); err != nil {
		return nil, err
	}
	if len(userIDs) == 0 {
		return nil, newArgError(op, "no user ids")
	}
	for _, id := range userIDs {
		if err := checkGUID(op, "user id", id); err != nil {
			return nil, err
		}
	}
	body, err := jsonBody(op, struct {
		Members []string `json:"members"`
	}{userIDs})
	if err != nil {
		return nil, err
	}
	return callJSON[Group](ctx, c, &request{
		op:          opRemoveMembersFrom,
		segments:    []string{"group", groupID, "members"},
		body:        body,
		contentType: contentTypeJSON,
	})
}

// contentTypeJSON is the Content-Type of JSON bodies; DocSpace answers 415
// without it.
const contentTypeJSON = "application/json"

// jsonBody encodes a request body.
func jsonBody(op string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, newArgError(op, "encode body: %v", err)
	}
	return b, nil
}

// checkGUID rejects ids that DocSpace's {id:guid} route segments and GUID
// fields would refuse, before sending anything.
func checkGUID(op, what, id string) error {
	if !isGUID(id) {
		return newArgError(op, "%s is not a GUID (8-4-4-4-12 hex digits)", what)
	}
	return nil
}

// isGUID reports whether s is a GUID in the 8-4-4-4-12 hex form.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
