# The aigov member role in one account: trusted by the sweep identity in the scanner account, with the read-only
# policy generated from the scanner's command catalogue (policies.tf) and, on request, the SSM opt-in policy.
# Apply it in every member account (see ../../README.md for doing so across an organization).

data "aws_partition" "current" {}

locals {
  scanner_principal_arn = "arn:${data.aws_partition.current.partition}:iam::${var.scanner_account_id}:${var.scanner_principal}"
}

data "aws_iam_policy_document" "trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${var.scanner_account_id}:root"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = [local.scanner_principal_arn]
    }
    dynamic "condition" {
      for_each = var.external_id == null ? [] : [var.external_id]
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_iam_role" "aigov" {
  name                 = var.role_name
  description          = "aigov sweep: read-only AI inventory"
  max_session_duration = 3600
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  tags                 = var.tags
}

resource "aws_iam_role_policy" "read_ai_inventory" {
  name   = "AigovReadAiInventory"
  role   = aws_iam_role.aigov.id
  policy = local.read_ai_inventory_policy
}

resource "aws_iam_role_policy" "read_ssm_parameter_values" {
  count  = var.read_ssm_parameter_values ? 1 : 0
  name   = "AigovReadSsmParameterValues"
  role   = aws_iam_role.aigov.id
  policy = local.read_ssm_parameter_values_policy
}
