package docspacetest

import (
	"net/url"
	"strings"
	"time"
)

// employeeDTO is EmployeeDto: the short user object embedded in other DTOs (createdBy, sharedToUser, ...).
type employeeDTO struct {
	ID             string `json:"id"`
	DisplayName    string `json:"displayName"`
	Avatar         string `json:"avatar,omitempty"`
	AvatarOriginal string `json:"avatarOriginal,omitempty"`
	AvatarMax      string `json:"avatarMax,omitempty"`
	AvatarMedium   string `json:"avatarMedium,omitempty"`
	AvatarSmall    string `json:"avatarSmall,omitempty"`
	ProfileURL     string `json:"profileUrl,omitempty"`
	HasAvatar      bool   `json:"hasAvatar"`
	IsAnonim       bool   `json:"isAnonim"`
}

// groupSummaryDTO is GroupSummaryDto; isSystem appears only when true (reference §7).
type groupSummaryDTO struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Manager  string `json:"manager,omitempty"`
	IsSystem *bool  `json:"isSystem,omitempty"`
}

// employeeFullDTO is EmployeeFullDto (reference §3.1). Null properties are omitted; booleans are always sent.
type employeeFullDTO struct {
	employeeDTO
	FirstName                   string            `json:"firstName,omitempty"`
	LastName                    string            `json:"lastName,omitempty"`
	UserName                    string            `json:"userName,omitempty"`
	Email                       string            `json:"email,omitempty"`
	Status                      int               `json:"status"`
	ActivationStatus            int               `json:"activationStatus"`
	Terminated                  *string           `json:"terminated,omitempty"`
	Department                  string            `json:"department,omitempty"`
	Groups                      []groupSummaryDTO `json:"groups,omitempty"`
	IsAdmin                     bool              `json:"isAdmin"`
	IsRoomAdmin                 bool              `json:"isRoomAdmin"`
	IsLDAP                      bool              `json:"isLDAP"`
	ListAdminModules            []string          `json:"listAdminModules,omitempty"`
	IsOwner                     bool              `json:"isOwner"`
	IsVisitor                   bool              `json:"isVisitor"`
	IsCollaborator              bool              `json:"isCollaborator"`
	CultureName                 string            `json:"cultureName,omitempty"`
	MobilePhoneActivationStatus int               `json:"mobilePhoneActivationStatus"`
	IsSSO                       bool              `json:"isSSO"`
	UsedSpace                   *float64          `json:"usedSpace,omitempty"`
	CreatedBy                   *employeeDTO      `json:"createdBy,omitempty"`
	RegistrationDate            *string           `json:"registrationDate,omitempty"`
	HasPersonalFolder           *bool             `json:"hasPersonalFolder,omitempty"`
}

const defaultAvatar = "/static/images/default_user_photo_size_82-82.png"

// baseURL is the portal URL as the request reached it, e.g. http://127.0.0.1:8092.
func (c *call) baseURL() string { return portalURL(c.r) }

// employee renders the short user object for id. A removed or unknown user renders as DocSpace's
// placeholder for deleted profiles.
func (c *call) employee(id string) *employeeDTO {
	u := c.s.st.anyUser(id)
	if u == nil || u.Removed {
		return &employeeDTO{ID: strings.ToLower(id), DisplayName: "Profile is deleted", Avatar: defaultAvatar,
			AvatarSmall: defaultAvatar, IsAnonim: false}
	}
	d := c.employeeOf(u)
	return &d
}

func (c *call) employeeOf(u *User) employeeDTO {
	return employeeDTO{
		ID: u.ID, DisplayName: u.DisplayName(), Avatar: defaultAvatar, AvatarOriginal: defaultAvatar,
		AvatarMax: defaultAvatar, AvatarMedium: defaultAvatar, AvatarSmall: defaultAvatar,
		ProfileURL: c.baseURL() + "/accounts/people/filter?search=" + url.QueryEscape(u.Email),
	}
}

// employeeFull renders EmployeeFullDto of u as the caller may see it: groups are omitted for plain users
// looking at someone else, createdBy is shown to admins only.
func (c *call) employeeFull(u *User) employeeFullDTO {
	d := employeeFullDTO{
		employeeDTO: c.employeeOf(u),
		FirstName:   u.FirstName, LastName: u.LastName, UserName: u.UserName, Email: u.Email,
		Status: int(u.Status), ActivationStatus: int(u.ActivationStatus), Department: u.Department,
		IsAdmin: u.Type == TypeDocSpaceAdmin && !u.IsOwner, IsRoomAdmin: u.Type == TypeRoomAdmin,
		IsLDAP: u.IsLDAP, IsOwner: u.IsOwner, IsVisitor: u.Type == TypeGuest, IsCollaborator: u.Type == TypeUser,
		CultureName: u.CultureName, IsSSO: u.IsSSO,
		RegistrationDate: c.s.datePtr(u.RegistrationDate),
	}
	if !u.Terminated.IsZero() {
		d.Terminated = c.s.datePtr(u.Terminated)
	}
	if u.PeopleAdmin {
		d.ListAdminModules = []string{"people"}
	}
	used := 0.0
	d.UsedSpace = &used
	hasPersonal := u.MyDocumentsID != 0
	d.HasPersonalFolder = &hasPersonal
	plain := !c.caller.isAdmin() && c.caller.Type != TypeRoomAdmin && !c.caller.PeopleAdmin
	if !plain || strings.EqualFold(c.caller.ID, u.ID) {
		for _, g := range c.s.st.userGroups(u.ID) {
			if !g.IsSystem {
				d.Groups = append(d.Groups, c.s.groupSummary(g))
			}
		}
	}
	if c.caller.isAdmin() && u.CreatedBy != "" {
		d.CreatedBy = c.employee(u.CreatedBy)
	}
	return d
}

// groupSummary renders GroupSummaryDto; manager is the manager's user name.
func (s *Server) groupSummary(g *Group) groupSummaryDTO {
	d := groupSummaryDTO{ID: g.ID, Name: g.Name}
	if m := s.st.anyUser(g.ManagerID); m != nil {
		d.Manager = m.UserName
	}
	if g.IsSystem {
		t := true
		d.IsSystem = &t
	}
	return d
}

// touch marks a user record as modified.
func touch(u *User, now time.Time) { u.LastModified = now }
