variable "scanner_account_id" {
  description = "The account the aigov sweep runs in (the management or a delegated administrator account)."
  type        = string
  validation {
    condition     = can(regex("^\\d{12}$", var.scanner_account_id))
    error_message = "scanner_account_id must be a 12-digit account id."
  }
}

variable "scanner_principal" {
  description = "The sweep identity in the scanner account that may assume the role: role/NAME (a path is allowed: role/ci/aigov-sweep). role/* trusts every role of that account."
  type        = string
  default     = "role/aigov-sweep"
  validation {
    condition     = can(regex("^(role|user)/[\\w+=,.@/*-]+$", var.scanner_principal))
    error_message = "scanner_principal looks like role/NAME or role/PATH/NAME."
  }
}

variable "role_name" {
  description = "Name of the member role; the sweep's targets.aws.role must name it (the default needs no setting)."
  type        = string
  default     = "AigovReadOnly"
}

variable "external_id" {
  description = "When set, the sweep must send this external id (targets.aws.external_id / --aws-external-id)."
  type        = string
  default     = null
  sensitive   = true
}

variable "read_ssm_parameter_values" {
  description = "true adds ssm:GetParameters, needed by targets.aws.read_ssm_parameter_values. Read the caveat in docs/permissions/aws/README.md first: the permission can read SecureStrings under the aws/ssm key."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the role."
  type        = map(string)
  default     = {}
}
