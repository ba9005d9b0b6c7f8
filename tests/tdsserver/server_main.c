/* placeholder: the TDS test server is being written */
int main(void)
{
	return 1;
}
