-- http.version: the lua-http release luahttp's http.* modules follow (scripts print or compare it).
return {
  name = "lua-http",
  version = "0.4",
}
