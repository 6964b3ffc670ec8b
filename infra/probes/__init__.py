"""Small functions the infra deploys to measure what AWS publishes no metric for.

Each module here is a Lambda handler shipped as its own asset (this folder only); it runs
on the Lambda runtime's boto3 and the stack's dependency layer (Powertools included).
"""
