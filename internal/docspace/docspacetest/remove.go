package docspacetest

import (
	"fmt"
	"strings"
	"time"
)

// startRemove: POST people/remove/start (reference §6.1).
func (s *Server) startRemove(c *call) (any, error) {
	id, err := c.bindTerminate()
	if err != nil {
		return nil, err
	}
	u := s.st.user(id)
	if u == nil {
		return nil, errArgumentf("User with id = %s not found", id)
	}
	if u.IsOwner || c.isSelf(u) || u.Status != StatusTerminated {
		return nil, errArgumentf("Can not delete user with id = %s", id)
	}
	if u.Type == TypeRoomAdmin && !c.caller.isAdmin() || u.Type == TypeDocSpaceAdmin && !c.caller.IsOwner {
		return nil, errSecurity()
	}
	if j := s.st.removeJobs[u.ID]; j != nil && !j.job.done {
		return j.dto(), nil
	}
	return s.startRemoveJob(c, u, true).dto(), nil
}

// startRemoveJob starts RemoveProgressItem for u on behalf of the caller. Caller holds s.mu.
func (s *Server) startRemoveJob(c *call, u *User, notify bool) *peopleJob {
	pj := &peopleJob{id: fmt.Sprintf("%d_%s_RemoveProgressItem", s.opts.TenantID, u.ID), fromID: u.ID,
		toID: c.caller.ID, callerID: c.caller.ID, deleteProfile: true}
	s.startPeopleJob(c, s.st.removeJobs, pj, s.opts.RemoveDuration, s.removeSteps(pj, c.client(), notify))
	return pj
}

// removeSteps is RemoveProgressItem (reference §6.1): shared items to the caller, the rest of the personal
// data deleted, rooms to the caller, content in rooms to each room's owner, then the profile.
func (s *Server) removeSteps(pj *peopleJob, client clientInfo, notify bool) []jobStep {
	roomOwner := func(e *Entry) string {
		if r := s.st.roomOf(e); r != nil && !strings.EqualFold(r.CreatedBy, pj.fromID) {
			return r.CreatedBy
		}
		return pj.callerID
	}
	return []jobStep{
		{percent: 5},
		{percent: 10, run: func(time.Time) error {
			if caller := s.st.user(pj.callerID); caller == nil || !caller.canEditUsers() {
				return jobFailure(errNoPermissionText)
			}
			return nil
		}},
		{percent: 20, run: func(at time.Time) error {
			s.moveSharedEntries(s.st.anyUser(pj.fromID), s.st.user(pj.callerID), at)
			return nil
		}},
		{percent: 30, run: func(time.Time) error {
			s.deletePersonalData(s.st.anyUser(pj.fromID))
			return nil
		}},
		{percent: 50, run: func(at time.Time) error {
			for _, e := range s.st.entries {
				if e.IsRoom() && strings.EqualFold(e.CreatedBy, pj.fromID) {
					e.CreatedBy = pj.callerID
				}
			}
			return nil
		}},
		{percent: 70, run: func(at time.Time) error {
			s.transferCreatedBy(pj.fromID, KindFolder, nil, roomOwner, at)
			return nil
		}},
		{percent: 90, run: func(at time.Time) error {
			s.transferCreatedBy(pj.fromID, KindFile, nil, roomOwner, at)
			return nil
		}},
		{percent: 95, run: func(at time.Time) error {
			u := s.st.anyUser(pj.fromID)
			if notify {
				s.writeAudit(auditEntry{at: at, actorID: pj.callerID, action: ActionUserDataRemoving,
					targets: []string{u.ID}, description: []string{u.DisplayName()}, client: client})
			}
			if !u.Removed {
				s.deleteProfile(u, at, pj.callerID, client)
			}
			return nil
		}},
		{percent: 100},
	}
}

// getRemoveProgress: GET people/remove/progress/{userid}.
func (s *Server) getRemoveProgress(c *call) (any, error) {
	return s.progress(c, s.st.removeJobs)
}

// terminateRemove: PUT people/remove/terminate; no payload.
func (s *Server) terminateRemove(c *call) (any, error) {
	id, err := c.bindTerminate()
	if err != nil {
		return nil, err
	}
	if j := s.st.removeJobs[id]; j != nil {
		j.job.cancel(c.now)
		s.dropJob(j.job)
	}
	return nil, nil
}
