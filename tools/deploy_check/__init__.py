"""The deploy check's machinery: the CDK app deployed onto the ministack emulator.

``tests/deploy`` drives it (``make deploy-check``): start the emulator on a free loopback port,
synthesise the app for it once, bootstrap, deploy the stacks one by one, and afterwards
destroy them and stop the emulator, even after a failure. Nothing here is deployed to AWS.
"""
