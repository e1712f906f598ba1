package docspacetest

// registerRoutes registers every endpoint the simulator serves.
func (s *Server) registerRoutes() {
	s.registerPeopleRoutes()
	s.registerFilesRoutes()
}

// registerPeopleRoutes registers the people, group, API-key and security endpoints.
func (s *Server) registerPeopleRoutes() {
	s.route(methodGet, "/api/2.0/people/@self", "getSelfProfile", s.getSelfProfile)
	s.route(methodGet, "/api/2.0/people/email", "getProfileByEmail", s.getProfileByEmail)
	s.route(methodGet, "/api/2.0/people/{userid}", "getProfileByUserId", s.getProfileByUserID, allowUnpaid())
	s.route(methodPut, "/api/2.0/people/{userid}", "updateMember", s.updateMember)
	s.route(methodDelete, "/api/2.0/people/{userid}", "deleteMember", s.deleteMember)
	s.route(methodPut, "/api/2.0/people/status/{status}", "updateUserStatus", s.updateUserStatus)

	s.route(methodGet, "/api/2.0/people/reassign/necessary", "necessaryReassign", s.necessaryReassign)
	s.route(methodPost, "/api/2.0/people/reassign/start", "startReassign", s.startReassign)
	s.route(methodGet, "/api/2.0/people/reassign/progress/{userid:guid}", "getReassignProgress", s.getReassignProgress)
	s.route(methodPut, "/api/2.0/people/reassign/terminate", "terminateReassign", s.terminateReassign)
	s.route(methodPost, "/api/2.0/people/remove/start", "startRemove", s.startRemove)
	s.route(methodGet, "/api/2.0/people/remove/progress/{userid:guid}", "getRemoveProgress", s.getRemoveProgress)
	s.route(methodPut, "/api/2.0/people/remove/terminate", "terminateRemove", s.terminateRemove)

	s.route(methodGet, "/api/2.0/group/user/{userid:guid}", "getGroupByUserId", s.getGroupByUserID)
	s.route(methodGet, "/api/2.0/group/{id:guid}", "getGroup", s.getGroup)
	s.route(methodDelete, "/api/2.0/group/{id:guid}/members", "removeMembersFrom", s.removeMembersFrom)

	s.route(methodPost, "/api/2.0/keys", "createApiKey", s.createAPIKey, sensitiveAPI())
	s.route(methodGet, "/api/2.0/keys", "getApiKeys", s.getAPIKeys)
	s.route(methodGet, "/api/2.0/keys/@self", "getApiKey", s.getAPIKey)
	s.route(methodGet, "/api/2.0/keys/permissions", "getAllPermissions", s.getAllPermissions)
	s.route(methodPut, "/api/2.0/keys/{keyId:guid}", "updateApiKey", s.updateAPIKey)
	s.route(methodDelete, "/api/2.0/keys/{keyId:guid}", "deleteApiKey", s.deleteAPIKey)

	s.route(methodPut, "/api/2.0/security/activeconnections/logoutall/{userId}", "logOutAllActiveConnectionsForUser",
		s.logOutAllActiveConnections)
	s.route(methodGet, "/api/2.0/security/audit/events/filter", "getAuditEventsByFilter", s.getAuditEventsByFilter)
	s.route(methodGet, "/api/2.0/security/audit/events/last", "getLastAuditEvents", s.getLastAuditEvents)
	s.route(methodGet, "/api/2.0/security/audit/login/filter", "getLoginEventsByFilter", s.getLoginEventsByFilter)
	s.route(methodGet, "/api/2.0/security/audit/login/last", "getLastLoginEvents", s.getLastLoginEvents)
}
