package docspacetest

import (
	"strings"
)

// groupDTO is GroupDto (reference §7).
type groupDTO struct {
	Name         string            `json:"name"`
	Category     string            `json:"category"`
	ID           string            `json:"id"`
	IsLDAP       bool              `json:"isLDAP"`
	IsSystem     *bool             `json:"isSystem,omitempty"`
	Manager      *employeeFullDTO  `json:"manager,omitempty"`
	Members      []employeeFullDTO `json:"members,omitempty"`
	MembersCount int               `json:"membersCount"`
}

func (c *call) group(g *Group, withMembers bool) groupDTO {
	d := groupDTO{Name: g.Name, Category: emptyGUID, ID: g.ID, MembersCount: len(g.Members)}
	if g.IsSystem {
		t := true
		d.IsSystem = &t
	}
	if m := c.s.st.user(g.ManagerID); m != nil {
		full := c.employeeFull(m)
		d.Manager = &full
	}
	if withMembers {
		d.Members = []employeeFullDTO{}
		for _, id := range g.Members {
			if u := c.s.st.user(id); u != nil {
				d.Members = append(d.Members, c.employeeFull(u))
			}
		}
	}
	return d
}

// getGroupByUserID: GET group/user/{userid}: the user's regular groups (reference §7).
func (s *Server) getGroupByUserID(c *call) (any, error) {
	if c.caller.Type == TypeGuest {
		return nil, errSecurity()
	}
	out := []groupSummaryDTO{}
	for _, g := range s.st.userGroups(c.param("userid")) {
		if !g.IsSystem {
			out = append(out, s.groupSummary(g))
		}
	}
	return out, nil
}

// getGroup: GET group/{id}; members are included unless includeMembers=false.
func (s *Server) getGroup(c *call) (any, error) {
	if c.caller.Type == TypeGuest {
		return nil, errSecurity()
	}
	g := s.st.group(c.param("id"))
	if g == nil {
		return nil, errNotFound("The group could not be found")
	}
	with := true
	if v, ok := c.query("includeMembers"); ok && strings.EqualFold(strings.TrimSpace(v), "false") {
		with = false
	}
	return c.group(g, with), nil
}

type membersBody struct {
	Members []jsonGUID `json:"members"`
}

// removeMembersFrom: DELETE group/{id}/members. Ids that are not members, or unknown users, are skipped;
// the reply is the whole group.
func (s *Server) removeMembersFrom(c *call) (any, error) {
	var body membersBody
	if err := c.bind(&body, "inDto", true); err != nil {
		return nil, err
	}
	if !c.caller.isAdmin() {
		return nil, errSecurity()
	}
	g := s.st.group(c.param("id"))
	if g == nil {
		return nil, errNotFound("The group could not be found")
	}
	var removed []string
	for _, id := range body.Members {
		before := len(g.Members)
		g.Members = removeID(g.Members, string(id))
		if len(g.Members) < before {
			removed = append(removed, string(id))
		}
	}
	if len(removed) > 0 {
		c.audit(ActionGroupUpdated, []string{g.ID}, g.Name)
		s.emitHook(TriggerGroupUpdated, c.now, c.caller.ID, struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}{g.ID, g.Name})
	}
	return c.group(g, true), nil
}
