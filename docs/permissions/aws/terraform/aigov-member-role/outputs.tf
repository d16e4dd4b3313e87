output "role_name" {
  description = "The member role's name."
  value       = aws_iam_role.aigov.name
}

output "role_arn" {
  description = "The member role's ARN."
  value       = aws_iam_role.aigov.arn
}
