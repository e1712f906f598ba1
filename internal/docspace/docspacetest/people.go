package docspacetest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// getSelfProfile: GET people/@self.
func (s *Server) getSelfProfile(c *call) (any, error) {
	return c.employeeFull(c.caller), nil
}

// getProfileByUserID: GET people/{userid}; the id is a GUID or a user name (reference §3.1). It works for
// disabled users and on an unpaid portal.
func (s *Server) getProfileByUserID(c *call) (any, error) {
	u := c.lookupUser(c.param("userid"))
	if u == nil {
		return nil, errNotFound("The user could not be found")
	}
	if !c.canView(u) {
		return nil, errSecurity()
	}
	return c.employeeFull(u), nil
}

// getProfileByEmail: GET people/email?email=; the address is trimmed (reference §3.1).
func (s *Server) getProfileByEmail(c *call) (any, error) {
	email, _ := c.query("email")
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, errArgument("Value cannot be null. (Parameter 'email')")
	}
	u := s.st.userByEmail(email)
	if u == nil {
		return nil, errNotFound("The user could not be found")
	}
	if !c.canView(u) {
		return nil, errSecurity()
	}
	return c.employeeFull(u), nil
}

// lookupUser finds a live user by GUID or user name.
func (c *call) lookupUser(idOrName string) *User {
	if g, ok := parseGUID(idOrName); ok {
		return c.s.st.user(g)
	}
	return c.s.st.userByName(strings.TrimSpace(idOrName))
}

// canView reports whether the caller may read u's profile: guests see only themselves.
func (c *call) canView(u *User) bool {
	return c.caller.Type != TypeGuest || strings.EqualFold(c.caller.ID, u.ID)
}

// isSelf reports whether u is the caller.
func (c *call) isSelf(u *User) bool { return strings.EqualFold(c.caller.ID, u.ID) }

type updateMembersBody struct {
	UserIDs   *[]jsonGUID `json:"userIds"`
	ResendAll bool        `json:"resendAll"`
}

// updateUserStatus: PUT people/status/{status} (reference §3.2). The whole batch is checked before anything
// changes; Terminated ends sessions and writes audit 4020 and 6032 and a user.updated webhook per user, also
// for users already disabled.
func (s *Server) updateUserStatus(c *call) (any, error) {
	var body updateMembersBody
	bindErr := c.bind(&body, "inDto", true)
	raw := c.param("status")
	st, ok := parseEnum(raw, userStatusNames(), validUserStatus)
	if !ok {
		msg := fmt.Sprintf("The value '%s' is not valid.", raw)
		var ve *validationError
		if errors.As(bindErr, &ve) {
			ve.errors["status"] = []string{msg}
			return nil, ve
		}
		if bindErr != nil {
			return nil, bindErr
		}
		return nil, errValidation("status", msg)
	}
	if bindErr != nil {
		return nil, bindErr
	}
	if !c.caller.canEditUsers() {
		return nil, errSecurity()
	}
	status := UserStatus(st)
	if status != StatusActive && status != StatusTerminated {
		return nil, errArgument("Incorrect status")
	}
	if body.UserIDs == nil {
		return nil, errNullReference()
	}
	var targets []*User
	for _, id := range *body.UserIDs {
		u := s.st.user(string(id))
		if u == nil || u.IsSystem || u.IsLDAP || u.IsOwner || c.isSelf(u) ||
			u.Type == TypeDocSpaceAdmin && !c.caller.IsOwner {
			return nil, errSecurity()
		}
		if !containsUser(targets, u) {
			targets = append(targets, u)
		}
	}
	if status == StatusActive && s.opts.Seats > 0 {
		if s.activeSeats()+countReactivated(targets) > s.opts.Seats {
			return nil, errPayment("The number of active users exceeds the number of paid seats")
		}
	}
	out := make([]employeeFullDTO, 0, len(targets))
	var ids, names []string
	for _, u := range targets {
		switch status {
		case StatusTerminated:
			u.Status = StatusTerminated
			s.endSessions(u)
			c.audit(ActionCookieSettingsUpdated, nil)
		case StatusActive:
			if u.Status == StatusTerminated {
				u.Status = StatusActive
				if u.ActivationStatus != ActivationActivated {
					u.Status = StatusPending
				}
			}
			u.Terminated = time.Time{}
		}
		touch(u, c.now)
		ids, names = append(ids, u.ID), append(names, u.DisplayName())
		out = append(out, c.employeeFull(u))
	}
	if len(targets) > 0 {
		c.audit(ActionUsersUpdatedStatus, ids, strings.Join(names, ", "))
	}
	for _, u := range targets {
		s.emitUserHook(TriggerUserUpdated, c.now, c.caller.ID, u)
	}
	return streamed{items: out}, nil
}

// activeSeats counts the active users who take a paid seat (everyone but guests and system accounts).
func (s *Server) activeSeats() int {
	n := 0
	for _, u := range s.st.users {
		if !u.Removed && !u.IsSystem && u.Type != TypeGuest && u.Status == StatusActive {
			n++
		}
	}
	return n
}

// countReactivated counts the users a status change to Active would give a seat.
func countReactivated(users []*User) int {
	n := 0
	for _, u := range users {
		if u.Status == StatusTerminated && u.Type != TypeGuest && u.ActivationStatus == ActivationActivated {
			n++
		}
	}
	return n
}

func containsUser(list []*User, u *User) bool {
	for _, x := range list {
		if x == u {
			return true
		}
	}
	return false
}

type updateMemberBody struct {
	Disable   *bool   `json:"disable"`
	FirstName *string `json:"firstName"`
	LastName  *string `json:"lastName"`
}

// updateMember: PUT people/{userid} (reference §3.3). Only "disable" changes the status ("disabled" is an
// unknown property, so the call changes nothing). Disabling another user sets the terminated date and ends
// their sessions (audit 6032), without the LDAP check. Every call writes audit 4006 and sends user.updated.
func (s *Server) updateMember(c *call) (any, error) {
	var body updateMemberBody
	if err := c.bind(&body, "inDto", true); err != nil {
		return nil, err
	}
	u := c.lookupUser(c.param("userid"))
	if u == nil {
		return nil, errNotFound("The user could not be found")
	}
	self := c.isSelf(u)
	if !self && !c.caller.canEditUsers() {
		return nil, errSecurity()
	}
	if !self && (u.IsOwner || u.Type == TypeDocSpaceAdmin && !c.caller.IsOwner) {
		return nil, errSecurity()
	}
	if body.FirstName != nil && *body.FirstName != "" {
		u.FirstName = *body.FirstName
	}
	if body.LastName != nil && *body.LastName != "" {
		u.LastName = *body.LastName
	}
	disabled := false
	if body.Disable != nil && !self {
		switch {
		case *body.Disable && u.Status != StatusTerminated:
			u.Status, u.Terminated, disabled = StatusTerminated, c.now, true
		case !*body.Disable && u.Status == StatusTerminated:
			u.Status, u.Terminated = StatusActive, time.Time{}
		}
	}
	// DocSpace saves the profile, audits and publishes on every call, changed or not.
	touch(u, c.now)
	c.audit(ActionUserUpdated, []string{u.ID}, u.DisplayName())
	if disabled {
		s.endSessions(u)
		c.audit(ActionCookieSettingsUpdated, nil)
	}
	s.emitUserHook(TriggerUserUpdated, c.now, c.caller.ID, u)
	return c.employeeFull(u), nil
}

// deleteMember: DELETE people/{userid} (reference §6.2). The profile goes at once; a remove job without
// notification then hands the data to the caller and the room owners.
func (s *Server) deleteMember(c *call) (any, error) {
	u := c.lookupUser(c.param("userid"))
	if u == nil {
		return nil, errNotFound("The user could not be found")
	}
	if !c.caller.canEditUsers() || u.IsSystem || u.IsLDAP || u.IsOwner || c.isSelf(u) {
		return nil, errSecurity()
	}
	if u.Status != StatusTerminated {
		return nil, errInvalidOp("The user is not suspended")
	}
	if u.Type == TypeDocSpaceAdmin && !c.caller.IsOwner {
		return nil, errSecurity()
	}
	if j := s.st.reassignJobs[u.ID]; j != nil && !j.job.done {
		return nil, errInternal("System.Exception", "ReassignDataRemoveUserError")
	}
	dto := c.employeeFull(u)
	s.deleteProfile(u, c.now, c.caller.ID, c.client())
	s.startRemoveJob(c, u, false)
	return dto, nil
}

// deleteProfile removes a user: the profile, their share records and group memberships. It writes audit
// 4018 and sends user.deleted. Caller holds s.mu.
func (s *Server) deleteProfile(u *User, at time.Time, actorID string, client clientInfo) {
	name := u.DisplayName()
	u.Removed = true
	u.LastModified = at
	s.st.removeShares(func(sh *Share) bool { return strings.EqualFold(sh.SubjectID, u.ID) })
	for _, g := range s.st.userGroups(u.ID) {
		g.Members = removeID(g.Members, u.ID)
	}
	s.writeAudit(auditEntry{at: at, actorID: actorID, action: ActionUserDeleted, targets: []string{u.ID},
		description: []string{name}, client: client})
	s.emitUserHook(TriggerUserDeleted, at, actorID, u)
}

func removeID(ids []string, id string) []string {
	out := ids[:0]
	for _, x := range ids {
		if !strings.EqualFold(x, id) {
			out = append(out, x)
		}
	}
	return out
}

// logOutAllActiveConnections: PUT security/activeconnections/logoutall/{userId} (reference §4). The user
// themself or a DocSpace admin; 200 with no payload, also for an unknown id; API keys survive.
func (s *Server) logOutAllActiveConnections(c *call) (any, error) {
	raw := c.param("userid")
	id, ok := parseGUID(raw)
	if !ok {
		return nil, errValidation("userId", fmt.Sprintf("The value '%s' is not valid.", raw))
	}
	if !c.caller.isAdmin() && !strings.EqualFold(c.caller.ID, id) {
		return nil, errSecurity()
	}
	if u := s.st.user(id); u != nil {
		s.endSessions(u)
		c.audit(ActionUserLogoutActiveConnectionsForUser, []string{u.ID}, u.DisplayName())
	}
	return nil, nil
}

// methodPut and friends keep the route table short.
const (
	methodGet    = http.MethodGet
	methodPost   = http.MethodPost
	methodPut    = http.MethodPut
	methodDelete = http.MethodDelete
)
