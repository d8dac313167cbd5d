#include "bare.h"
TEST_BEGIN
    TEST_FAIL_CODE(42)
